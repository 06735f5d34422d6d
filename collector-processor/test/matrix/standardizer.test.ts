import { Standardizer } from '../../src/matrix/standardizer';
import type { Matrix } from '../../src/matrix/matrix';

/** 1,000 rows: column 0 is 1 on one row (a rare event), column 1 never moves (always 0). */
function rareAndConstant(): Matrix {
  const data = new Float64Array(2000);
  data[0] = 1;
  return { data, rows: 1000, cols: 2 };
}

const event: Matrix = { data: Float64Array.from([1, 1]), rows: 1, cols: 2 };

describe('Standardizer', () => {
  test('without pseudo-rows (scikit-learn): a value never seen weighs far less than one seen once', () => {
    const [rare, never] = new Standardizer().fit(rareAndConstant()).transform(event).data;
    expect(rare).toBeCloseTo((1 - 0.001) / Math.sqrt(0.001 * 0.999), 6);
    expect(never).toBe(1);
  });

  test('one pseudo-row: both rare events weigh about the same, the mean does not move', () => {
    const s = new Standardizer({ pseudoRows: 1 }).fit(rareAndConstant());
    const [rare, never] = s.transform(event).data;
    expect(never).toBeCloseTo(Math.sqrt(1001), 6);
    expect(rare).toBeCloseTo(0.999 / Math.sqrt((1000 * 0.001 * 0.999 + 1) / 1001), 6);
    expect(rare / never).toBeGreaterThan(0.65);
    expect(Array.from(s.params.mean)).toEqual([0.001, 0]);
  });

  test('a column with real spread barely changes', () => {
    const m: Matrix = { data: Float64Array.from({ length: 1000 }, (_, i) => i % 10), rows: 1000, cols: 1 };
    const plain = new Standardizer().fit(m).params.scale[0];
    const pseudo = new Standardizer({ pseudoRows: 1 }).fit(m).params.scale[0];
    expect(Math.abs(pseudo / plain - 1)).toBeLessThan(0.001);
  });

  test('rejects negative pseudo-rows', () => {
    expect(() => new Standardizer({ pseudoRows: -1 })).toThrow('pseudoRows');
  });
});
