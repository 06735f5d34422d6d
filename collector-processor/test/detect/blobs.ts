import type { Matrix } from '../../src/detect/detector';

/** Seeded LCG + Box-Muller: reproducible Gaussian data for the detector tests. */
export function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const u = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** `rows` points of a standard Gaussian blob in `cols` dimensions. */
export function blob(rows: number, cols: number, seed: number): Matrix {
  const g = gaussian(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = g();
  return { data, rows, cols };
}

/** Blob points with feature `feature` pushed `shift` away: outliers that differ in one feature. */
export function outliers(rows: number, cols: number, seed: number, feature: number, shift = 8): Matrix {
  const m = blob(rows, cols, seed);
  for (let r = 0; r < rows; r++) m.data[r * cols + feature] += shift;
  return m;
}

export function stack(a: Matrix, b: Matrix): Matrix {
  const data = new Float64Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { data, rows: a.rows + b.rows, cols: a.cols };
}

/** Rank-based ROC-AUC (ties count half): labels 1 = anomaly. */
export function rocAuc(scores: Float64Array, labels: Uint8Array): number {
  let pos = 0;
  let wins = 0;
  const neg: number[] = [];
  const posS: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] ? posS : neg).push(scores[i]);
  for (const p of posS) {
    for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
    pos++;
  }
  return wins / (pos * neg.length);
}
