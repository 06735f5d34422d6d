/**
 * `npm run bench:lstm`: the DeepLog LSTM on hdfs-deeplog (protocol of the datasets README, loaded by
 * evaluate/datasets.ts: shuffle hdfs_train with seed 42, train on 80%, FPR on the other 20%, recall
 * on every abnormal session, precision estimated at 16,838 : 553,366), built from the default model
 * config as the live pipeline builds it. Measures training (epoch_s, fit_s), batch windowed
 * prediction in tfjs and in the Float32Array kernel (windows/s over the test set's distinct
 * windows), streaming through the live path (lifecycle SequenceModel: session map, typed-array
 * session slots, window cache, kernel on a miss; cold cache), and quality.
 *
 * Options: EPOCHS (env) caps training epochs for exploratory runs; `--save FILE` writes the trained
 * model, `--model FILE` scores a saved one instead of training (fit figures are then omitted).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ModelConfig, validateWithDefaults } from '@anomalog/shared';
import { datasetsDir, markdownTable, updateDocSection, writeResults, type BenchCase } from './lib/report';
import { updateReadmeTable } from './lib/readme-table';
import {
  detectorFactory,
  initTf,
  loadDataset,
  LstmDetector,
  LstmKernel,
  SequenceModel,
  type SessionDataset,
} from '../collector-processor/src';

const SEED = 42;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The detector as the lifecycle creates it: the default model config's params (EPOCHS overrides). */
function createDetector(): LstmDetector {
  const checked = validateWithDefaults(ModelConfig, {});
  if (!checked.ok) throw new Error('default model config does not validate');
  const params: Record<string, unknown> = { ...checked.value.detectors.lstm.params };
  if (process.env.EPOCHS) params.epochs = Number(process.env.EPOCHS);
  return detectorFactory('lstm').create(params, SEED);
}

async function trainOrLoad(ds: SessionDataset): Promise<{ det: LstmDetector; fit: BenchCase }> {
  const file = arg('model');
  if (file) return { det: LstmDetector.load(readFileSync(file)), fit: {} };
  const det = createDetector();
  const r = await det.fit({ seqs: ds.train, vocabSize: ds.vocabSize }, (e, loss, val) =>
    console.error(`epoch ${e}: loss ${loss.toFixed(4)} validation ${val.toFixed(4)}`),
  );
  const save = arg('save');
  if (save) writeFileSync(save, det.serialize());
  return {
    det,
    fit: {
      epochs: r.epochs,
      best_epoch: r.bestEpoch + 1,
      windows: r.windows,
      unique_windows: r.uniqueWindows,
      validation_sessions: r.validationSessions,
      epoch_s: +r.epochS.toFixed(2),
      fit_s: +(r.fitMs / 1000).toFixed(1),
    },
  };
}

/** Quality per the protocol: a session is anomalous when the detector's own rule flags it. */
function quality(det: LstmDetector, ds: SessionDataset): BenchCase {
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

/** The test set's distinct windows (as the stream sees them), for batch inference. */
function testWindows(det: LstmDetector, ds: SessionDataset): { x: Int32Array; n: number } {
  const pairs = det.windowPairs(ds.test);
  return { x: pairs.x, n: pairs.n };
}

function batchSpeed(det: LstmDetector, ds: SessionDataset): BenchCase {
  const { x, n } = testWindows(det, ds);
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
function streamingSpeed(det: LstmDetector, ds: SessionDataset): BenchCase {
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

async function main(): Promise<void> {
  const backend = await initTf();
  const ds = loadDataset('hdfs-deeplog', datasetsDir(), SEED);
  if (ds.kind !== 'sessions') throw new Error('hdfs-deeplog is a session dataset');
  const { det, fit } = await trainOrLoad(ds);
  const o = det.opts;
  const row: BenchCase = {
    dataset: 'hdfs-deeplog',
    detector: 'lstm',
    mode: 'sequences',
    backend,
    model: `${o.layers}x${o.units} h=${o.window} ${det.ruleText()}`,
    ...fit,
    ...batchSpeed(det, ds),
    ...streamingSpeed(det, ds),
    ...quality(det, ds),
  };
  console.log(row);
  writeResults('lstm', [row]);
  const columns = ['dataset', 'model', 'epochs', 'epoch_s', 'fit_s', 'tfjs_windows_per_s', 'kernel_windows_per_s'];
  const columns2 = ['streaming_records_per_s', 'streaming_cache_hit_rate', 'precision', 'recall', 'f1', 'fpr'];
  updateDocSection(
    'lstm',
    [
      markdownTable(
        [row],
        columns.filter((c) => c in row),
      ),
      markdownTable([row], columns2),
      '`flock /tmp/anomalog-bench.lock npm run bench:lstm` (full training; `EPOCHS=3` for a quick run, ' +
        '`--model FILE` to score a model saved with `--save FILE`). Precision is estimated at the DeepLog ' +
        "test set's 16,838 : 553,366 (datasets README); streaming goes through the live SequenceModel from " +
        'a cold window cache, 1,000 sessions interleaved, one core.',
    ].join('\n\n'),
  );
  updateReadmeTable();
}

void main();
