/**
 * bench:lstm's measures of a trained DeepLog LSTM on a session dataset: verdict quality per the
 * hdfs-deeplog protocol, batch windowed prediction (tfjs and the Float32Array kernel) and streaming
 * through the live SequenceModel.
 */
import { LstmDetector, LstmKernel, SequenceModel, type SessionDataset } from '../../collector-processor/src';
import type { BenchCase } from './report';

/** Quality per the protocol: a session is anomalous when the detector's own rule flags it. */
export function quality(det: LstmDetector, ds: SessionDataset): BenchCase {
  const flagged = det.flags({ seqs: ds.test, vocabSize: ds.vocabSize });
  let fp = 0;
  let tp = 0;
  let normals = 0;
  ds.testLabels.forEach((l, i) => {
    if (l) tp += flagged[i];
    else {
      normals++;
      fp += flagged[i];
    }
  });
  const recall = tp / (ds.testLabels.length - normals);
  const fpr = fp / normals;
  const est = ds.estimateAt ?? { anomalies: 1, normals: 1 };
  const a = recall * est.anomalies;
  const precision = a > 0 ? a / (a + fpr * est.normals) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return {
    normal_sessions: normals,
    abnormal_sessions: ds.testLabels.length - normals,
    false_positives: fp,
    precision: +precision.toFixed(4),
    recall: +recall.toFixed(4),
    f1: +f1.toFixed(4),
    fpr: +fpr.toFixed(6),
  };
}

/** Windows/s of batch prediction over the test set's distinct windows (as the stream sees them). */
export function batchSpeed(det: LstmDetector, ds: SessionDataset): BenchCase {
  const { x, n } = det.windowPairs(ds.test);
  const h = det.opts.window;
  const batch = 1024;
  let t = performance.now();
  for (let b = 0; b < n; b += batch) {
    const m = Math.min(batch, n - b);
    det.predictTf(x.subarray(b * h, (b + m) * h), m);
  }
  const tfjs = n / ((performance.now() - t) / 1000);
  // A kernel without the prefix-state cache: the plain cost of one window, h steps.
  const kernel = new LstmKernel(det.exportWeights());
  t = performance.now();
  for (let i = 0; i < n; i++) kernel.predictWindow(x, i * h, (i + 1) * h);
  const k = n / ((performance.now() - t) / 1000);
  return { batch_windows: n, tfjs_windows_per_s: Math.round(tfjs), kernel_windows_per_s: Math.round(k) };
}

/**
 * Records through SequenceModel.push/advance as the detect stage calls them, sessions interleaved
 * (up to 1,000 open at once, as a stream of concurrent blocks would arrive), from a cold window
 * cache (a freshly loaded model).
 */
export function streamingSpeed(det: LstmDetector, ds: SessionDataset): BenchCase {
  const fresh = LstmDetector.load(det.serialize());
  const vocab = new Map(Array.from({ length: ds.vocabSize }, (_, k) => [`t${k}`, k] as [string, number]));
  const model = new SequenceModel(fresh, vocab, 100_000);
  const ids = ds.test.map((_, i) => `blk_${i}`);
  const names = [...vocab.keys()];
  const concurrent = 1000;
  let records = 0;
  let anomalies = 0;
  const t = performance.now();
  for (let from = 0; from < ds.test.length; from += concurrent) {
    const group = ds.test.slice(from, from + concurrent);
    const longest = group.reduce((m, s) => Math.max(m, s.length), 0);
    for (let pos = 0; pos < longest; pos++) {
      for (let j = 0; j < group.length; j++) {
        const seq = group[j];
        if (pos >= seq.length) continue;
        const id = ids[from + j];
        const template = names[seq[pos]] ?? `unknown${seq[pos]}`;
        if (model.push(id, template).anomalous) anomalies++;
        model.advance(id, template);
        records++;
      }
    }
  }
  const secs = (performance.now() - t) / 1000;
  const cache = fresh.streams().cache;
  return {
    streaming_records: records,
    streaming_records_per_s: Math.round(records / secs),
    streaming_cache_hit_rate: +(cache.hits / Math.max(1, cache.hits + cache.misses)).toFixed(4),
    streaming_prefix_resumed: +(fresh.kernel().prefixHits / Math.max(1, cache.misses)).toFixed(4),
    streaming_flagged_records: anomalies,
  };
}
