import {
  averagePrecision,
  f1Ceiling,
  prCurve,
  rocAuc,
  rocCurve,
  thin,
  thresholdMetrics,
} from '../../src/evaluate/metrics';

describe('metrics', () => {
  test('ROC-AUC of hand-made scores (scikit-learn: 0.75)', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75);
  });

  test('ties count half', () => {
    // pairs: (1 vs 1) tie = 0.5, (1 vs 2) = 0, (3 vs 1) = 1, (3 vs 2) = 1 → 2.5 / 4
    expect(rocAuc([1, 1, 2, 3], [0, 1, 0, 1])).toBeCloseTo(0.625);
    expect(rocAuc([5, 5, 5, 5], [0, 1, 0, 1])).toBeCloseTo(0.5);
  });

  test('perfect, inverted and one-class cases', () => {
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([1, 2], [0, 0])).toBeNaN();
  });

  test('average precision as scikit-learn (0.8333)', () => {
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.8333, 4);
    expect(averagePrecision([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
  });

  test('weighted average precision estimates another class ratio', () => {
    // every normal counts 9 times: one normal above the anomaly halves precision far more
    const s = [0.9, 0.8, 0.1];
    const y = [0, 1, 0];
    expect(averagePrecision(s, y)).toBeCloseTo(0.5);
    expect(averagePrecision(s, y, [9, 1, 9])).toBeCloseTo(0.1);
  });

  test('threshold metrics count score > threshold as flagged', () => {
    const m = thresholdMetrics([0.1, 0.5, 0.6, 0.9, 0.95], [0, 0, 1, 1, 0], 0.5);
    expect(m).toMatchObject({ tp: 2, fp: 1, tn: 2, fn: 0 });
    expect(m.precision).toBeCloseTo(2 / 3);
    expect(m.recall).toBe(1);
    expect(m.f1).toBeCloseTo(0.8);
    expect(m.fpr).toBeCloseTo(1 / 3);
    expect(thresholdMetrics([0.1], [1], 1)).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  test('curves: ROC from (0,0) to (1,1), PR one point per distinct score, thinned for the UI', () => {
    const roc = rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(roc[0]).toEqual([0, 0]);
    expect(roc[roc.length - 1]).toEqual([1, 1]);
    expect(prCurve([1, 1, 2], [0, 1, 1])).toEqual([
      [0.5, 1],
      [1, 2 / 3],
    ]);
    const long = Array.from({ length: 1000 }, (_, i): [number, number] => [i / 999, 1 - i / 999]);
    const t = thin(long, 50);
    expect(t).toHaveLength(50);
    expect(t[49]).toEqual([1, 0]);
  });

  test('length mismatch is an error', () => {
    expect(() => rocAuc([1, 2], [0])).toThrow(/length/);
  });
});

describe('f1Ceiling', () => {
  test('flags the purest groups of identical rows: a pure group of 3, then a mixed group not worth it', () => {
    // group a: 3 anomalies; group b: 1 anomaly + 4 normals; group c: 5 normals
    const keys = ['a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'c', 'c', 'c', 'c', 'c'];
    const labels = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    // {a}: P 1, R 3/4 -> 6/7; {a, b}: P 4/8, R 1 -> 2/3
    expect(f1Ceiling(keys, labels)).toBeCloseTo(6 / 7, 12);
  });

  test('weights re-weigh the classes (a mixed group becomes worth taking)', () => {
    const keys = ['a', 'b', 'b', 'b', 'b'];
    const labels = [1, 1, 0, 0, 0];
    // {a}: P 1, R 1/2 -> 2/3; {a, b}: P 2/5, R 1 -> 4/7
    expect(f1Ceiling(keys, labels)).toBeCloseTo(2 / 3, 12);
    // normal rows weigh 0.1: {a, b} gives P 2/2.3, R 1
    const p = 2 / 2.3;
    expect(f1Ceiling(keys, labels, [1, 1, 0.1, 0.1, 0.1])).toBeCloseTo((2 * p) / (p + 1), 12);
  });
});
