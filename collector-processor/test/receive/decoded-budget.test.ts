import { DecodedBudget, decodedBudgetBytes, decodedEstimate } from '../../src/receive/decoded-budget';
import { ProcessingError } from '../../src/otlp/errors';

describe('DecodedBudget', () => {
  it('takes requests while they fit, refuses retryably over the budget, frees on release', () => {
    const budget = new DecodedBudget(1000);
    const a = budget.take(600);
    let refusal: unknown;
    try {
      budget.take(600);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(ProcessingError);
    expect((refusal as ProcessingError).refusal).toBe('throttled');
    a();
    a(); // releasing twice frees once
    expect(budget.inflightBytes).toBe(0);
    const b = budget.take(600);
    b();
  });

  it('always takes a request alone, however large', () => {
    const budget = new DecodedBudget(10);
    const release = budget.take(1_000_000);
    expect(budget.inflightBytes).toBe(1_000_000);
    release();
  });

  it('weighs records, not only wire bytes; defaults to a share of the heap limit', () => {
    expect(decodedEstimate(2_500_000, 40_000)).toBeGreaterThan(10 * 2_500_000);
    expect(decodedBudgetBytes(8)).toBe(8 * 1024 * 1024);
    expect(decodedBudgetBytes(0)).toBeGreaterThan(0);
  });
});
