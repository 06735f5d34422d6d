import type { Detector, Matrix } from '../../src/detect/detector';
import { detectorFactory } from '../../src/detect/registry';
import { Calibration } from '../../src/detect/calibration';
import { ALERT_SCORE } from '../../src/detect/score-scale';
import { blob, outliers, stack } from './blobs';

/** Every tabular detector: flags and scores agree, and flagged rows keep their order. */
/** The detectors that score rows of a matrix. */
export type TabularDetector = 'isolation-forest' | 'one-class-svm' | 'lof' | 'autoencoder';

export function describeScoreOrder(name: TabularDetector): void {
  describe(`${name} scores`, () => {
    it('never put a flagged row under an unflagged one and spread the flagged rows', async () => {
      const train = blob(400, 4, 11);
      const test: Matrix = stack(blob(200, 4, 12), outliers(40, 4, 13, 1, 4));
      const det = detectorFactory(name).create({ epochs: 30 }, 42) as Detector<Matrix>;
      await det.fit(train);
      const c = Calibration.fit(det.score(train), { mode: 'fpr', value: 0.005 });
      const raw = det.score(test);
      const scores = c.scoreAll(raw);
      let minFlagged = Infinity;
      let maxUnflagged = -Infinity;
      for (let i = 0; i < raw.length; i++)
        if (c.isAnomalous(raw[i])) minFlagged = Math.min(minFlagged, scores[i]);
        else maxUnflagged = Math.max(maxUnflagged, scores[i]);
      expect(minFlagged).toBeGreaterThanOrEqual(ALERT_SCORE);
      expect(maxUnflagged).toBeLessThan(ALERT_SCORE);
      // distinct raw scores over the cut keep distinct, ordered calibrated scores
      const over = [...raw.keys()].filter((i) => c.isAnomalous(raw[i])).sort((a, b) => raw[a] - raw[b]);
      expect(over.length).toBeGreaterThan(5);
      for (let k = 1; k < over.length; k++)
        if (raw[over[k]] > raw[over[k - 1]]) expect(scores[over[k]]).toBeGreaterThan(scores[over[k - 1]]);
      const distinct = new Set(over.map((i) => scores[i])).size;
      expect(distinct).toBe(new Set(over.map((i) => raw[i])).size);
    }, 60_000);
  });
}
