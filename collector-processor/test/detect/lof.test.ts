import { LofDetector } from '../../src/detect/lof';
import { KnnResult, KdTree } from '../../src/detect/knn-kdtree';
import { dedupeRows } from '../../src/matrix/dedupe-rows';
import type { Matrix } from '../../src/detect/detector';
import { blob, outliers, rocAuc, stack } from './blobs';

/** Textbook novelty LOF over every row (no index, no dedupe), as scikit-learn computes it. */
function bruteLof(train: Matrix, test: Matrix, k: number): Float64Array {
  const d = (a: Float64Array, i: number, b: Float64Array, j: number): number => {
    let s = 0;
    for (let c = 0; c < train.cols; c++) s += (a[i * train.cols + c] - b[j * train.cols + c]) ** 2;
    return Math.sqrt(s);
  };
  const knn = (q: Float64Array, i: number, self: number): { j: number; d: number }[] =>
    Array.from({ length: train.rows }, (_, j) => ({ j, d: d(q, i, train.data, j) }))
      .filter((x) => x.j !== self)
      .sort((a, b) => a.d - b.d)
      .slice(0, k);
  const nbs = Array.from({ length: train.rows }, (_, i) => knn(train.data, i, i));
  const kdist = nbs.map((n) => n[k - 1].d);
  const lrdOf = (n: { j: number; d: number }[]): number =>
    1 / (n.reduce((s, x) => s + Math.max(x.d, kdist[x.j]), 0) / k + 1e-10);
  const lrd = nbs.map(lrdOf);
  return Float64Array.from({ length: test.rows }, (_, i) => {
    const n = knn(test.data, i, -1);
    return n.reduce((s, x) => s + lrd[x.j], 0) / k / lrdOf(n);
  });
}

/** A blob where every row appears 1..4 times, like repeated count vectors. */
function withCopies(m: Matrix): Matrix {
  const rows: number[] = [];
  for (let r = 0; r < m.rows; r++) for (let c = 0; c <= r % 4; c++) rows.push(r);
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { data, rows: rows.length, cols: m.cols };
}

describe('LOF (novelty)', () => {
  const train = blob(400, 4, 11);
  const test = stack(blob(150, 4, 12), outliers(15, 4, 13, 1, 6));
  const labels = new Uint8Array(165).fill(1, 150);

  it('k-d tree kNN equals brute force, weights and exclusion included', () => {
    const { points, counts } = dedupeRows(withCopies(blob(60, 3, 5)).data, 150, 3);
    expect(points.length / 3).toBe(60);
    const tree = new KdTree(points, 3, counts);
    const q = blob(30, 3, 6);
    const res = new KnnResult(7);
    for (let i = 0; i < 30; i++) {
      tree.knn(q.data, i * 3, 7, res, i % 2 ? 5 : -1);
      expect(res.dist[res.size - 1]).toBe(kth(q, i, tree, counts, 7, i % 2 ? 5 : -1));
      expect(Array.from(res.used.subarray(0, res.size)).reduce((a, b) => a + b, 0)).toBe(7);
    }
  });

  it('equals textbook LOF on data with duplicate rows', () => {
    const tr = withCopies(blob(80, 3, 21));
    const te = stack(blob(20, 3, 22), outliers(5, 3, 23, 0, 5));
    const det = new LofDetector({ neighbors: 6 });
    det.fit(tr);
    const ours = det.score(te);
    const ref = bruteLof(tr, te, 6);
    for (let i = 0; i < te.rows; i++) expect(ours[i]).toBeCloseTo(ref[i], 9);
  });

  it('scores far outliers higher than the blob', () => {
    const det = new LofDetector();
    const rep = det.fit(train);
    expect(rep.neighbors).toBe(20);
    const s = det.score(test);
    expect(rocAuc(s, labels)).toBeGreaterThan(0.99);
    expect(s[0]).toBeLessThan(1.5);
  });

  it('is deterministic and round-trips through bytes', () => {
    const a = new LofDetector({ neighbors: 10 });
    const b = new LofDetector({ neighbors: 10 });
    a.fit(train);
    b.fit(train);
    expect(Array.from(a.score(test))).toEqual(Array.from(b.score(test)));
    const back = LofDetector.load(a.serialize());
    expect(Array.from(back.score(test))).toEqual(Array.from(a.score(test)));
  });

  it('rejects broken bytes with clear errors', () => {
    const det = new LofDetector({ neighbors: 5 });
    det.fit(train);
    const bytes = det.serialize();
    expect(() => LofDetector.load(bytes.subarray(0, 100))).toThrow(/lof: /);
    expect(() => LofDetector.load(new Uint8Array(8))).toThrow(/lof: /);
    expect(() => det.score(blob(2, 3, 1))).toThrow(/3 columns, model expects 4/);
  });

  it('copies of one row do not give infinite densities', () => {
    const data = new Float64Array(50 * 2); // 50 identical rows at the origin
    const det = new LofDetector({ neighbors: 5 });
    det.fit({ data, rows: 50, cols: 2 });
    const s = det.score({ data: Float64Array.from([0, 0, 1, 0]), rows: 2, cols: 2 });
    expect(s[0]).toBeCloseTo(1, 9);
    expect(Number.isFinite(s[1]) && s[1] > 1e6).toBe(true);
    const e = det.explain({ data: Float64Array.from([1, 0]), rows: 1, cols: 2 }, 0, ['u', 'v']);
    expect(e.reason).toMatch(/exact repeats .*e\+\d+\); it differs from them mostly in u/);
  });

  it('explain names the feature that differs', () => {
    const det = new LofDetector();
    det.fit(train);
    const e = det.explain(test, 160, ['w', 'x', 'y', 'z']);
    expect(e.features?.[0].name).toBe('x');
    expect(e.reason).toMatch(/mostly in x/);
  });
});

/** Distance to the k-th nearest by weight (one unit of `exclude` removed), by brute force. */
function kth(q: Matrix, i: number, tree: KdTree, counts: Int32Array, k: number, exclude: number): number {
  const all: number[] = [];
  for (let j = 0; j < tree.n; j++) {
    const d = tree.distance(q.data, i * q.cols, j);
    for (let c = 0; c < counts[j] - (j === exclude ? 1 : 0); c++) all.push(d);
  }
  return all.sort((a, b) => a - b)[k - 1];
}
