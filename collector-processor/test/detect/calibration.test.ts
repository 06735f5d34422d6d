import { Calibration, quantile, upperBound } from '../../src/detect/calibration';

describe('calibration', () => {
  const train = Float64Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000); // 0..999 shuffled

  it('maps raw scores to 0..1 by the empirical CDF of training scores', () => {
    const c = Calibration.fit(train, { mode: 'fpr', value: 0.01 });
    expect(c.normalize(-5)).toBe(0);
    expect(c.normalize(499)).toBeCloseTo(0.5, 10);
    expect(c.normalize(499.5)).toBeCloseTo(0.5, 10);
    expect(c.normalize(1e9)).toBe(1);
    expect(Array.from(c.normalizeAll(Float64Array.from([0, 999])))).toEqual([0.001, 1]);
    expect(c.normalize(NaN)).toBeNaN();
  });

  it('cuts at the (1 - value) quantile in both modes', () => {
    const fpr = Calibration.fit(train, { mode: 'fpr', value: 0.01 });
    expect(fpr.cut).toBeCloseTo(989.01, 6); // numpy.percentile(range(1000), 99)
    let alerts = 0;
    for (const s of train) if (fpr.isAnomalous(s)) alerts++;
    expect(alerts).toBe(10);
    const cont = Calibration.fit(train, { mode: 'contamination', value: 0.1 });
    expect(cont.cut).toBeCloseTo(899.1, 6);
    expect(Calibration.fit(train, { mode: 'fpr', value: 0 }).cut).toBe(999);
  });

  it('under one in the training count, cuts beyond the training maximum by the fitted tail', () => {
    // exponential scores: the tail over the (1 - 1/n) quantile extrapolates log10(1 / (n value)) decades on
    const exp = Float64Array.from({ length: 1000 }, (_, i) => -Math.log(1 - (i + 0.5) / 1000));
    const max = Math.max(...exp);
    const at = (value: number) => Calibration.fit(exp, { mode: 'fpr', value });
    expect(at(0.001).cut).toBeLessThanOrEqual(max); // one in n: still the data's own quantile
    const c4 = at(1e-4);
    const c6 = at(1e-6);
    expect(c4.cut).toBeGreaterThan(max);
    expect(c6.cut).toBeGreaterThan(c4.cut);
    // an exponential tail gains a decade of rarity per ln(10) of raw score, give or take its scale estimate
    expect((c6.cut - c4.cut) / (2 * Math.LN10)).toBeGreaterThan(0.5);
    expect((c6.cut - c4.cut) / (2 * Math.LN10)).toBeLessThan(2);
    // no training score alerts, the scale still says >= 0.5 exactly over the cut and keeps ranking
    for (const s of exp) expect(c4.isAnomalous(s)).toBe(false);
    expect(c4.score(c4.cut)).toBeLessThan(0.5);
    expect(c4.score(c4.cut + 1e-9)).toBeGreaterThanOrEqual(0.5);
    expect(c4.score(c4.cut + 5)).toBeGreaterThan(c4.score(c4.cut + 1));
    expect(c4.score(max)).toBeLessThan(0.5);
    // tied scores (every training row the same): a repeat of them never alerts
    const tied = Calibration.fit(new Float64Array(500).fill(0.3), { mode: 'fpr', value: 1e-4 });
    expect(tied.isAnomalous(0.3)).toBe(false);
    expect(tied.cut).toBeGreaterThan(0.3);
  });

  it('quantile and upperBound agree with their definitions', () => {
    const s = Float64Array.from([1, 2, 2, 3]);
    expect(quantile(s, 0.5)).toBe(2);
    expect(quantile(s, 1)).toBe(3);
    expect(upperBound(s, 2)).toBe(3);
    expect(upperBound(s, 0)).toBe(0);
  });

  it('round-trips through bytes and rejects broken ones', () => {
    const c = Calibration.fit(Float64Array.from([0.1, 0.7, 0.3, 1 / 3]), { mode: 'contamination', value: 0.25 });
    const back = Calibration.load(c.serialize());
    expect(back.cut).toBe(c.cut);
    expect(back.threshold).toEqual(c.threshold);
    expect(Array.from(back.sorted)).toEqual(Array.from(c.sorted));
    const bytes = c.serialize();
    expect(() => Calibration.load(bytes.subarray(0, bytes.length - 1))).toThrow(/calibration: .*truncated/);
    expect(() => Calibration.load(new Uint8Array(3))).toThrow(/calibration/);
  });

  it('refuses empty or non-finite training scores and bad rates', () => {
    expect(() => Calibration.fit(new Float64Array(0), { mode: 'fpr', value: 0.01 })).toThrow(/no training scores/);
    expect(() => Calibration.fit(Float64Array.from([1, Infinity]), { mode: 'fpr', value: 0.01 })).toThrow(/finite/);
    expect(() => Calibration.fit(train, { mode: 'fpr', value: 0.9 })).toThrow(/\[0, 0.5\]/);
  });
});
