import '../../src/detect/detectors';
import { Calibration } from '../../src/detect/calibration';
import { ALERT_SCORE, decadesOfScore, scoreOfDecades, SEVERITY_SCORES, severityOf } from '../../src/detect/score-scale';
import { gaussian } from './blobs';
import { describeScoreOrder } from './score-order';

describe('the anomaly.score scale', () => {
  it('puts the flag at 0.5, keeps growing without reaching 1, and reads back its decades', () => {
    expect(scoreOfDecades(1e-12)).toBeGreaterThanOrEqual(ALERT_SCORE);
    expect(scoreOfDecades(0)).toBeLessThan(ALERT_SCORE);
    expect(scoreOfDecades(-3)).toBeGreaterThan(0);
    const ds = [0.1, 1, 2, 10, 100, 1e4, 1e6];
    const s = ds.map(scoreOfDecades);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]);
    expect(s[s.length - 1]).toBeLessThan(1);
    for (const d of ds) expect(Math.abs(decadesOfScore(scoreOfDecades(d)) - d) / d).toBeLessThan(1e-6);
  });

  it('names severities by decades beyond the threshold', () => {
    expect(severityOf(0.49)).toBeUndefined();
    expect(severityOf(scoreOfDecades(0.5))).toBe('minor');
    expect(severityOf(scoreOfDecades(2))).toBe('major');
    expect(severityOf(scoreOfDecades(5))).toBe('critical');
    expect(severityOf(SEVERITY_SCORES.major)).toBe('major');
    expect(severityOf(SEVERITY_SCORES.critical)).toBe('critical');
  });
});

describe('calibrated scores', () => {
  const value = 0.01;
  const normal = Float64Array.from({ length: 2000 }, gaussian(7));

  it('are >= 0.5 exactly over the cut, monotone in the raw score, distinct beyond the training maximum', () => {
    const c = Calibration.fit(normal, { mode: 'fpr', value });
    const raws = [...Array.from({ length: 4001 }, (_, i) => -10 + i * 0.01), 50, 1e3, 1e6, 1e9];
    let last = -Infinity;
    for (const x of raws) {
      const s = c.score(x);
      expect(s >= ALERT_SCORE).toBe(c.isAnomalous(x));
      expect(s).toBeGreaterThanOrEqual(last);
      if (x > c.cut) expect(s).toBeGreaterThan(last);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(1);
      last = s;
    }
    const max = c.sorted[c.sorted.length - 1];
    expect(c.score(max + 1)).toBeGreaterThan(c.score(max));
    expect(c.score(NaN)).toBeNaN();
  });

  it('mean the same at any raw scale: about `value` of training rows flagged, the maximum a few decades out', () => {
    for (const scale of [1e-3, 1, 1e4]) {
      const c = Calibration.fit(
        normal.map((x) => Math.exp(x) * scale),
        { mode: 'fpr', value },
      );
      const flagged = Array.from(c.sorted).filter((x) => c.score(x) >= ALERT_SCORE).length;
      expect(flagged / normal.length).toBeCloseTo(value, 2);
      // the fitted tail: the training maximum sits about log10(n·value) decades beyond the cut
      const d = decadesOfScore(c.score(c.sorted[c.sorted.length - 1]));
      expect(d).toBeGreaterThan(0.3);
      expect(d).toBeLessThan(3);
    }
  });

  it('rank beyond the cut when training scores are tied at it (no excess to fit)', () => {
    const tied = Float64Array.from({ length: 500 }, (_, i) => (i < 400 ? i / 400 : 1));
    const c = Calibration.fit(tied, { mode: 'fpr', value: 0.005 });
    expect(c.cut).toBe(1);
    const s = [1, 1.01, 1.1, 2, 10].map((x) => c.score(x));
    expect(s[0]).toBeLessThan(ALERT_SCORE);
    for (let i = 2; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]);
  });

  it('are restored exactly from the stored calibration', () => {
    const c = Calibration.fit(normal, { mode: 'fpr', value });
    const back = Calibration.load(c.serialize());
    for (const x of [-1, 0, 2, 2.5, 4, 100]) expect(back.score(x)).toBe(c.score(x));
  });
});

/** The classic detectors; the neural ones (training TF.js models) are in score-scale-neural.slow.test.ts. */
(['isolation-forest', 'one-class-svm', 'lof'] as const).forEach(describeScoreOrder);
