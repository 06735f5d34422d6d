import { initTf, tf, useBackend } from '../../src/detect/tf-backend';
import { LstmDetector } from '../../src/detect/lstm';
import { LstmKernel } from '../../src/detect/lstm-kernel';
import { SequenceModel } from '../../src/model/sequence-model';

// This suite trains LSTMs (TF.js): slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(180_000);

/** Tiny generated workflow: a loop then an end over 6 template ids (4 and 5 never normal). */
function normalSessions(n: number, seed: number): Int32Array[] {
  let r = seed;
  const rand = (): number => (r = (Math.imul(r, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out: Int32Array[] = [];
  for (let i = 0; i < n; i++) {
    const loops = 1 + Math.floor(rand() * 3);
    const s = [0];
    for (let l = 0; l < loops; l++) s.push(1, 2);
    s.push(3);
    out.push(Int32Array.from(s));
  }
  return out;
}

const small = { window: 4, topG: 2, layers: 2, units: 8, epochs: 40, batchSize: 64, learningRate: 0.05 };

describe('LSTM (DeepLog)', () => {
  let det: LstmDetector;
  beforeAll(async () => {
    await initTf(() => undefined);
    det = new LstmDetector(small);
    await det.fit({ seqs: normalSessions(60, 1), vocabSize: 6 });
  }, 60_000);

  it('kernel matches tfjs windowed prediction within 1e-4, also when resuming from a cached prefix state', () => {
    const pairs = det.windowPairs([...normalSessions(10, 7), Int32Array.from([0, 5, 3, 2, 1, 4, 0])]);
    const tfProbs = det.predictTf(pairs.x, pairs.n);
    const kernel = det.kernel();
    const plain = new LstmKernel(det.exportWeights()); // no prefix cache: always h steps from zero
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < pairs.n; i++) {
        const p = kernel.predictWindow(pairs.x.subarray(i * 4, (i + 1) * 4)).slice();
        const q = plain.predictWindow(pairs.x.subarray(i * 4, (i + 1) * 4));
        for (let j = 0; j < det.classes; j++) {
          expect(Math.abs(p[j] - tfProbs[i * det.classes + j])).toBeLessThan(1e-4);
          expect(p[j]).toBe(q[j]); // float32 states: a resumed window computes bit for bit the same
        }
      }
    }
    expect(kernel.prefixHits).toBeGreaterThan(0);
    expect(kernel.simd).toBe(true); // 8 units: whole SIMD lanes
  });

  it('kernel without SIMD (units not a multiple of 4) matches tfjs within 1e-4 too', async () => {
    const odd = new LstmDetector({ ...small, units: 6, epochs: 10 });
    await odd.fit({ seqs: normalSessions(30, 2), vocabSize: 6 });
    const kernel = odd.kernel();
    expect(kernel.simd).toBe(false);
    const pairs = odd.windowPairs(normalSessions(5, 8));
    const tfProbs = odd.predictTf(pairs.x, pairs.n);
    for (let i = 0; i < pairs.n; i++) {
      const p = kernel.predictWindow(pairs.x.subarray(i * 4, (i + 1) * 4));
      for (let j = 0; j < odd.classes; j++) expect(Math.abs(p[j] - tfProbs[i * odd.classes + j])).toBeLessThan(1e-4);
    }
  }, 30_000);

  it('probability rule: thresholds fitted on training sessions; the rank rule is still available', async () => {
    const normal = normalSessions(20, 99);
    expect(Array.from(det.flags({ seqs: normal, vocabSize: 6 }))).toEqual(new Array(20).fill(0));
    expect(det.ruleText()).toMatch(/^p\(record\) < [\d.e-]+, p\(end\) < [\d.e-]+, \d+ count bounds$/);
    // A session cut short (no normal session ends after a loop step) is flagged by its end.
    expect(det.isAnomalous(Int32Array.from([0, 1]))).toBe(true);
    expect(det.explain({ seqs: [Int32Array.from([0, 1])], vocabSize: 6 }, 0).reason).toMatch(
      /^the session ended after 2/,
    );
    const rank = new LstmDetector({ ...small, rule: 'rank', countSupport: 0 }); // DeepLog's rule alone
    await rank.fit({ seqs: normalSessions(60, 1), vocabSize: 6 });
    expect(rank.ruleText()).toBe('top-2');
    expect(Array.from(rank.flags({ seqs: normal, vocabSize: 6 }))).toEqual(new Array(20).fill(0));
    expect(rank.isAnomalous(Int32Array.from([0, 1, 3]))).toBe(true);
  }, 60_000);

  it('count bounds flag a loop repeated more often than in any normal session, also in the live stream', () => {
    // Normal sessions loop (1, 2) one to three times; the window (h = 4) sees two loops at most, so
    // a fourth loop looks like the third to the LSTM. The 4th "1" is record 7.
    const long = Int32Array.from([0, 1, 2, 1, 2, 1, 2, 1, 2, 3]);
    expect(det.explain({ seqs: [long], vocabSize: 6 }, 0).reason).toMatch(
      /^template 1 at record 7 occurs 4 times in the session, more than in any normal session \(3\)/,
    );
    const stream = det.createStream();
    expect(Array.from(long, (k) => stream.push(k).anomalous).indexOf(true)).toBe(7);
    const vocab = new Map(Array.from({ length: 6 }, (_, k) => [`t${k}`, k] as [string, number]));
    const live = new SequenceModel(det, vocab, 10);
    const flagged = Array.from(long, (k) => {
      const v = live.push('s1', `t${k}`);
      const out = v.anomalous ? live.ruleReason(v) : '';
      live.advance('s1', `t${k}`);
      return out;
    });
    expect(flagged.findIndex((r) => r !== '')).toBe(7);
    expect(flagged[7]).toMatch(/more often than in any normal session/);
    // Without the end template: the session ends with none of what every normal session has once.
    expect(det.isAnomalous(Int32Array.from([0, 1, 2, 1, 2]))).toBe(true);
  });

  it('stops early on a validation split and keeps the best epoch', async () => {
    const d = new LstmDetector({ ...small, epochs: 200, patience: 3, lrPatience: 1, validation: 0.2 });
    const r = await d.fit({ seqs: normalSessions(200, 5), vocabSize: 6 });
    expect(r.validationSessions).toBe(40);
    expect(r.epochs).toBeLessThan(200);
    expect(r.bestEpoch).toBe(r.epochs - 1 - 3);
    expect(r.valLoss).toBeLessThan(0.5);
  }, 60_000);

  it('passes normal sessions and flags a broken order and an unseen template', () => {
    const scores = det.score({ seqs: normalSessions(20, 99), vocabSize: 6 });
    for (const s of scores) expect(s).toBeLessThan(det.decisionCut);
    expect(det.isAnomalous(Int32Array.from([0, 1, 3]))).toBe(true);
    const unseen = det.explain({ seqs: [Int32Array.from([0, 1, 2, 9])], vocabSize: 10 }, 0);
    expect(unseen.reason).toMatch(/^unseen template/);
    const broken = det.explain({ seqs: [Int32Array.from([0, 1, 3])], vocabSize: 6 }, 0);
    expect(broken.expected?.[0].templateId).toBe(2);
  });

  it('serialises and loads to identical scores; rejects broken files', () => {
    const seqs = [...normalSessions(5, 3), Int32Array.from([0, 1, 3])];
    // A Node Buffer (as read from a file or base64) whose slice() is a view, not a copy.
    const copy = LstmDetector.load(Buffer.from(Buffer.from(det.serialize()).toString('base64'), 'base64'));
    expect(Array.from(copy.score({ seqs, vocabSize: 6 }))).toEqual(Array.from(det.score({ seqs, vocabSize: 6 })));
    expect(() => LstmDetector.load(new TextEncoder().encode('{nope'))).toThrow(/not an anomalog model/);
    const bytes = det.serialize();
    expect(() => LstmDetector.load(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
    const badJson = bytes.slice();
    badJson[4] = 0x7b + 1; // corrupt the header's opening brace
    expect(() => LstmDetector.load(badJson)).toThrow(/not valid JSON/);
  });

  it('online update learns sequences marked as false positives, from the current weights', async () => {
    const unseen = Int32Array.from([0, 1, 2, 5]); // a template never seen in training
    const order = Int32Array.from([0, 1, 2, 1, 3, 3]); // known templates, an order never seen
    expect(Array.from(det.flags({ seqs: [unseen, order], vocabSize: 6 }))).toEqual([1, 1]);
    const normal = normalSessions(20, 99);
    await det.update(
      [...Array.from({ length: 10 }, () => unseen), ...Array.from({ length: 10 }, () => order), ...normal],
      15,
    );
    expect(Array.from(det.flags({ seqs: [unseen, order], vocabSize: 6 }))).toEqual([0, 0]);
    // Continued, not restarted: normal sessions still pass.
    expect(Array.from(det.flags({ seqs: normal, vocabSize: 6 }))).toEqual(new Array(20).fill(0));
  }, 60_000);

  it('gives the same predictions on wasm and cpu backends (float noise only)', async () => {
    const pairs = det.windowPairs(normalSessions(5, 11));
    const backend = tf.getBackend();
    const a = det.predictTf(pairs.x, pairs.n);
    await useBackend(backend === 'cpu' ? 'wasm' : 'cpu');
    const b = det.predictTf(pairs.x, pairs.n);
    await useBackend(backend as 'cpu' | 'wasm');
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
  });

  it('per-record mode: one log stream, learns only the rows given, scores each row on the records before it', async () => {
    // the stream: normal sessions back to back, with a skipped step (0 → 3) and template 5 placed in
    // the context only; even positions train (normal ones), odd positions are scored
    const stream: number[] = [];
    const broken: number[] = [];
    normalSessions(80, 21).forEach((s, i) => {
      if (i % 20 === 10) {
        stream.push(0);
        broken.push(stream.length);
        stream.push(3);
      } else stream.push(...s);
      if (i === 5) stream.push(5);
    });
    const keys = Int32Array.from(stream);
    const five = stream.indexOf(5);
    const isRow = (p: number) => p !== five && !broken.includes(p);
    const trainAt = Int32Array.from(stream.keys()).filter((p) => p % 2 === 0 && isRow(p));
    const testAt = Int32Array.from([
      ...broken,
      five,
      ...Array.from(stream.keys()).filter((p) => p % 2 === 1 && isRow(p)),
    ]);
    const d = new LstmDetector({ ...small, epochs: 60 });
    await d.fit({ seqs: [keys], vocabSize: 6, records: trainAt });
    const pairs = d.windowPairs([keys], trainAt);
    expect(pairs.total).toBe(trainAt.length); // one pair per learned record, no session end
    const test = { seqs: [keys], vocabSize: 6, records: testAt };
    const scores = d.score(test);
    expect(scores).toHaveLength(testAt.length);
    const flagged = Array.from(scores, (v) => v >= d.decisionCut);
    // normal rows are flagged only while an anomaly or the log's start is in their window (h = 4):
    // a context never learned (training saw the first records at even positions only)
    const odd = [...broken, five, -1];
    const anomalies = broken.length + 1; // the first rows of testAt
    expect(flagged.slice(0, anomalies)).toEqual(new Array(anomalies).fill(true));
    const flaggedNormal = Array.from(testAt.subarray(anomalies)).filter((_, i) => flagged[anomalies + i]);
    for (const p of flaggedNormal) expect(odd.some((a) => p > a && p - a <= small.window)).toBe(true);
    expect(flaggedNormal.length).toBeLessThanOrEqual(odd.length);
    // 5 was only context, never learned: unseen
    expect(d.explain(test, broken.length).reason).toBe(`unseen template 5 at record ${five}`);
    const skip = d.explain(test, 0);
    expect(skip.reason).toMatch(new RegExp(`^template 3 at record ${broken[0]} had probability`));
    expect(skip.expected?.[0].templateId).toBe(1);
    const copy = LstmDetector.load(d.serialize());
    expect(Array.from(copy.score(test))).toEqual(Array.from(scores));
  }, 60_000);
});
