import { OneClassSvmDetector, scaleGamma } from '../../src/detect/one-class-svm';
import { RbfRows, solveOneClass } from '../../src/detect/svm-smo';
import type { Matrix } from '../../src/detect/detector';
import { blob, outliers, rocAuc, stack } from './blobs';

/** Every row repeated 1..3 times. */
function withCopies(m: Matrix): Matrix {
  const rows: number[] = [];
  for (let r = 0; r < m.rows; r++) for (let c = 0; c <= r % 3; c++) rows.push(r);
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { data, rows: rows.length, cols: m.cols };
}

describe('One-Class SVM', () => {
  const train = blob(400, 4, 31);
  const test = stack(blob(150, 4, 32), outliers(15, 4, 33, 3, 6));
  const labels = new Uint8Array(165).fill(1, 150);

  it('gamma scale is 1 / (features * variance of all values)', () => {
    expect(scaleGamma({ data: Float64Array.from([0, 2, 0, 2]), rows: 2, cols: 2 })).toBe(0.5);
    expect(scaleGamma({ data: new Float64Array(4).fill(3), rows: 2, cols: 2 })).toBe(1);
  });

  it('solver reaches a KKT point with sum alpha = nu * l', () => {
    const rows = new RbfRows(train.data, 4, 0.25);
    const upper = new Float64Array(400).fill(1);
    const r = solveOneClass(rows, upper, 0.3);
    expect(r.converged).toBe(true);
    expect(r.alpha.reduce((a, b) => a + b, 0)).toBeCloseTo(120, 9);
    // Gradient of free variables equals rho; at 0 it is >= rho, at C it is <= rho (within eps).
    for (let i = 0; i < 400; i++) {
      let g = 0;
      const row = rows.row(i);
      for (let j = 0; j < 400; j++) g += r.alpha[j] * row[j];
      if (r.alpha[i] <= 0) expect(g).toBeGreaterThan(r.rho - 1e-3);
      else if (r.alpha[i] >= 1) expect(g).toBeLessThan(r.rho + 1e-3);
      else expect(Math.abs(g - r.rho)).toBeLessThan(1e-3);
    }
  });

  it('solving over distinct rows with counts equals solving over all copies', () => {
    const full = withCopies(blob(60, 3, 41));
    const det = new OneClassSvmDetector({ nu: 0.2 });
    det.fit(full);
    const q = blob(30, 3, 42);
    const ours = det.score(q);
    const gamma = scaleGamma(full);
    const all = solveOneClass(new RbfRows(full.data, 3, gamma), new Float64Array(full.rows).fill(1), 0.2, 1e-6);
    for (let i = 0; i < q.rows; i++) {
      let s = 0;
      for (let j = 0; j < full.rows; j++) {
        let d = 0;
        for (let c = 0; c < 3; c++) d += (q.data[i * 3 + c] - full.data[j * 3 + c]) ** 2;
        s += all.alpha[j] * Math.exp(-gamma * d);
      }
      expect(ours[i]).toBeCloseTo(all.rho - s, 2);
    }
  });

  it('scores far outliers higher and keeps about nu of training outside', () => {
    const det = new OneClassSvmDetector({ nu: 0.1 });
    const rep = det.fit(train);
    expect(rep.converged).toBe(1);
    expect(rep.supportVectors).toBeGreaterThanOrEqual(40);
    expect(rocAuc(det.score(test), labels)).toBeGreaterThan(0.99);
    // Free support vectors sit on the boundary up to the solver tolerance.
    const outside = det.score(train).filter((s) => s > 1e-3).length;
    expect(outside).toBeLessThanOrEqual(40 + 2);
  });

  it('handles nu = 1 and a single distinct row', () => {
    const all = new OneClassSvmDetector({ nu: 1 });
    all.fit(train);
    const s = all.score(test);
    for (const v of s) expect(Number.isFinite(v)).toBe(true);
    expect(rocAuc(s, labels)).toBeGreaterThan(0.99);
    expect(Array.from(OneClassSvmDetector.load(all.serialize()).score(test))).toEqual(Array.from(s));
    const one = new OneClassSvmDetector();
    one.fit({ data: new Float64Array(20).fill(2), rows: 10, cols: 2 });
    const t = one.score({ data: Float64Array.from([2, 2, 3, 2]), rows: 2, cols: 2 });
    expect(t[0]).toBeCloseTo(0, 12);
    expect(t[1]).toBeGreaterThan(0);
  });

  it('is deterministic and round-trips through bytes', () => {
    const a = new OneClassSvmDetector({ gamma: 0.3 });
    const b = new OneClassSvmDetector({ gamma: 0.3 });
    a.fit(train);
    b.fit(train);
    expect(Array.from(a.score(test))).toEqual(Array.from(b.score(test)));
    const back = OneClassSvmDetector.load(a.serialize());
    expect(Array.from(back.score(test))).toEqual(Array.from(a.score(test)));
  });

  it('rejects bad options, broken bytes and mismatched input', () => {
    expect(() => new OneClassSvmDetector({ nu: 0 })).toThrow(/nu/);
    expect(() => new OneClassSvmDetector({ gamma: -1 })).toThrow(/gamma/);
    const det = new OneClassSvmDetector();
    det.fit(train);
    const bytes = det.serialize();
    expect(() => OneClassSvmDetector.load(bytes.subarray(0, bytes.length - 16))).toThrow(/one-class-svm: .*truncated/);
    expect(() => OneClassSvmDetector.load(new Uint8Array(5))).toThrow(/one-class-svm/);
    expect(() => det.score(blob(2, 5, 1))).toThrow(/5 columns, model expects 4/);
  });

  it('explain names the feature that differs', () => {
    const det = new OneClassSvmDetector({ nu: 0.1 });
    det.fit(train);
    const e = det.explain(test, 155, ['a', 'b', 'c', 'd']);
    expect(e.features?.[0].name).toBe('d');
    expect(e.reason).toMatch(/^outside .* mostly in d/);
  });
});
