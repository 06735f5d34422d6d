import '../../src/detect/detectors';
import { LstmDetector } from '../../src/detect/lstm';
import { initTf } from '../../src/detect/tf-backend';
import { ALERT_SCORE, scoreOfDecades } from '../../src/detect/score-scale';
import { describeScoreOrder } from './score-order';

// Trains TF.js models: more time than jest.config.js gives the quick suites.
jest.setTimeout(120_000);

describeScoreOrder('autoencoder');

/** The LSTM's raw score is its margin over its own rule: on the scale it is >= 0.5 exactly when flagged. */
describe('lstm scores', () => {
  it('never put a flagged session under an unflagged one and keep the order of their margins', async () => {
    await initTf(() => undefined);
    const loop = (n: number) => Int32Array.from([0, ...Array.from({ length: n }, () => [1, 2]).flat(), 3]);
    const train = Array.from({ length: 60 }, (_, i) => loop(1 + (i % 3)));
    const det = new LstmDetector({
      window: 4,
      topG: 2,
      layers: 1,
      units: 8,
      epochs: 30,
      batchSize: 64,
      learningRate: 0.05,
    });
    await det.fit({ seqs: train, vocabSize: 6 });
    const test = [
      ...Array.from({ length: 10 }, (_, i) => loop(1 + (i % 3))),
      Int32Array.from([0, 1, 2, 4, 3]),
      Int32Array.from([0, 2, 1, 3]),
      Int32Array.from([0, 5, 5, 5, 3]),
      Int32Array.from([0, 1, 2]),
    ];
    const raw = det.score({ seqs: test, vocabSize: 6 });
    const scores = raw.map((x) => scoreOfDecades(x));
    for (let i = 0; i < raw.length; i++) expect(scores[i] >= ALERT_SCORE).toBe(raw[i] > det.decisionCut);
    expect(raw.filter((x) => x > det.decisionCut).length).toBeGreaterThan(0);
    for (let i = 0; i < raw.length; i++)
      for (let j = 0; j < raw.length; j++) if (raw[i] > raw[j]) expect(scores[i]).toBeGreaterThan(scores[j]);
  }, 120_000);
});
