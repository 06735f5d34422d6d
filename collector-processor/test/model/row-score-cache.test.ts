import type { Matrix } from '../../src/detect/detector';
import { RowScoreCache } from '../../src/model/row-score-cache';

/** Two "members": a weighted sum and a product of the row's values; counts the rows it scores. */
function scorer() {
  const seen = { rows: 0 };
  const score = (m: Matrix): Float64Array => {
    seen.rows += m.rows;
    const out = new Float64Array(2 * m.rows);
    for (let r = 0; r < m.rows; r++) {
      let sum = 0;
      let prod = 1;
      for (let c = 0; c < m.cols; c++) {
        sum += (c + 1) * m.data[r * m.cols + c];
        prod *= m.data[r * m.cols + c];
      }
      out[r] = sum;
      out[m.rows + r] = prod;
    }
    return out;
  };
  return { score, seen };
}

/** `rows` rows of 3 columns drawn from `distinct` different rows (a seeded choice). */
function batch(rows: number, distinct: number, seed: number): Matrix {
  const data = new Float64Array(rows * 3);
  let s = seed;
  for (let r = 0; r < rows; r++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const k = s % distinct;
    data.set([k * 0.5, -k, k === 3 ? 1e-300 : k / 7], r * 3);
  }
  return { data, rows, cols: 3 };
}

describe('RowScoreCache', () => {
  test("gives exactly the scorer's scores, and scores a repeated row once", () => {
    const { score, seen } = scorer();
    const cache = new RowScoreCache(3, 2);
    for (let b = 0; b < 5; b++) {
      const m = batch(200, 20, b + 1);
      expect(Array.from(cache.scoreMatrix(m, score))).toEqual(Array.from(scorer().score(m)));
    }
    expect(seen.rows).toBe(20); // 20 distinct rows over 1,000, repeats within a batch included
    expect(cache.hits + cache.misses).toBe(1000);
  });

  test('colliding rows never answer for each other (one slot)', () => {
    const { score, seen } = scorer();
    const cache = new RowScoreCache(3, 2, 1);
    const m = batch(300, 7, 9);
    expect(Array.from(cache.scoreMatrix(m, score))).toEqual(Array.from(scorer().score(m)));
    expect(seen.rows).toBeGreaterThan(7);
  });

  test('a row with NaN never hits (NaN equals nothing): it is scored every time', () => {
    const { score, seen } = scorer();
    const cache = new RowScoreCache(3, 2);
    const m = { data: Float64Array.from([NaN, 1, 2, NaN, 1, 2]), rows: 2, cols: 3 };
    const out = cache.scoreMatrix(m, score);
    expect(Number.isNaN(out[0])).toBe(true);
    cache.scoreMatrix(m, score);
    expect(seen.rows).toBe(4);
  });

  test('a matrix of another width is refused', () => {
    expect(() =>
      new RowScoreCache(3, 2).scoreMatrix({ data: new Float64Array(4), rows: 1, cols: 4 }, scorer().score),
    ).toThrow(/4 columns, expected 3/);
  });
});
