import { mergeCases } from '../../src/evaluate/cases';

describe('mergeCases', () => {
  const row = (detector: string, mode: string, f1: number) => ({ dataset: 'd', detector, mode, f1 });

  it('replaces only the (dataset, detector, mode) cases a run measured', () => {
    const previous = [row('lstm', 'sequences', 0.8), row('lof', 'counts', 0.5), row('lof', 'presence', 0.6)];
    const merged = mergeCases(previous, [row('lof', 'counts', 0.9), row('autoencoder', 'counts', 0.7)]);
    expect(merged).toEqual([
      row('lof', 'presence', 0.6),
      row('lof', 'counts', 0.9),
      row('autoencoder', 'counts', 0.7),
      row('lstm', 'sequences', 0.8),
    ]);
  });

  it('keeps rows of another dataset with the same detector and mode', () => {
    const other = { ...row('lof', 'counts', 0.5), dataset: 'e' };
    expect(mergeCases([other], [row('lof', 'counts', 0.9)])).toEqual([other, row('lof', 'counts', 0.9)]);
  });
});
