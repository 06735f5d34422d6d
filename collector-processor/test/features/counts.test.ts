import { CountVectorizer } from '../../src/features/counts';
import { Vocabulary } from '../../src/features/vocabulary';

const seqs = (...xs: number[][]) => xs.map((x) => Int32Array.from(x));

describe('Vocabulary', () => {
  test('grows in order of first appearance, never renumbers, stops growing when frozen', () => {
    const v = new Vocabulary();
    expect([v.add('a'), v.add('b'), v.add('a'), v.add('c')]).toEqual([0, 1, 0, 2]);
    expect(v.get('b')).toBe(1);
    expect(v.get('zzz')).toBe(-1);
    v.freeze();
    expect(v.add('d')).toBe(-1);
    expect(v.add('c')).toBe(2);
    expect(v.list()).toEqual(['a', 'b', 'c']);
    expect(v.clone().add('d')).toBe(3);
  });
});

describe('CountVectorizer', () => {
  test('raw counts with an unseen column for templates outside the training width', () => {
    const m = new CountVectorizer(3).transform(seqs([0, 0, 2], [5, 1, -1]));
    expect(m.cols).toBe(4);
    expect([...m.data]).toEqual([2, 0, 1, 0, 0, 1, 0, 2]);
  });

  test('log and binary term weights', () => {
    const log = new CountVectorizer(2, { tf: 'log', unseenColumn: false }).transform(seqs([0, 0, 0, 1]));
    expect(log.data[0]).toBeCloseTo(1 + Math.log(3));
    expect(log.data[1]).toBe(1);
    const bin = new CountVectorizer(2, { tf: 'binary', unseenColumn: false }).transform(seqs([0, 0, 0]));
    expect([...bin.data]).toEqual([1, 0]);
  });

  test('idf as scikit-learn smooth_idf, then L2 rows', () => {
    const train = seqs([0, 1], [0], [0, 0]);
    const v = new CountVectorizer(2, { idf: true, norm: 'l2' }).fit(train);
    // n = 3; df(0) = 3, df(1) = 1, df(unseen) = 0
    expect(v.idf![0]).toBeCloseTo(Math.log(4 / 4) + 1);
    expect(v.idf![1]).toBeCloseTo(Math.log(4 / 2) + 1);
    expect(v.idf![2]).toBeCloseTo(Math.log(4 / 1) + 1);
    const row = v.transform(seqs([0, 1, 9])).data;
    const expected = [1, Math.log(2) + 1, Math.log(4) + 1];
    const norm = Math.hypot(...expected);
    expected.forEach((x, i) => expect(row[i]).toBeCloseTo(x / norm));
    expect(Math.hypot(...row)).toBeCloseTo(1);
  });

  test('idf needs fit first; empty sessions stay zero rows', () => {
    expect(() => new CountVectorizer(2, { idf: true }).transform(seqs([0]))).toThrow(/fit/);
    const m = new CountVectorizer(2, { norm: 'l2' }).transform(seqs([]));
    expect([...m.data]).toEqual([0, 0, 0]);
  });

  test('feature names follow the columns', () => {
    expect(new CountVectorizer(2).featureNames(['open', 'close'])).toEqual(['open', 'close', 'unseen templates']);
  });
});
