/**
 * LSTM (DeepLog) on hdfs-deeplog, protocol of the datasets README: shuffle hdfs_train (seed 42),
 * train on 80%, FPR on the other 20%, recall on all abnormal sessions, precision estimated at
 * 16838:553366. Keys 1..28 map to ids 0..27. EPOCHS (env) bounds training on the shared machine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir, markdownTable, updateDocSection, writeResults } from './lib/report';
import { initTf } from '../collector-processor/src/detect/tf-backend';
import { LstmDetector } from '../collector-processor/src/detect/lstm';

const read = (f: string): Int32Array[] =>
  readFileSync(join(datasetsDir(), 'hdfs', 'deeplog', f), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => Int32Array.from(l.trim().split(/\s+/), (k) => Number(k) - 1));

async function main(): Promise<void> {
  const backend = await initTf();
  const normal = read('hdfs_train');
  let r = 42;
  const rand = (): number => (r = (Math.imul(r, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let i = normal.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [normal[i], normal[j]] = [normal[j], normal[i]];
  }
  const cut = Math.floor(normal.length * 0.8);
  const train = normal.slice(0, cut);
  const held = normal.slice(cut);
  // ABNORMAL (env) caps the abnormal sessions scored, to bound the run on the shared machine.
  const abnormal = read('hdfs_test_abnormal').slice(0, Number(process.env.ABNORMAL ?? Infinity));
  const epochs = Number(process.env.EPOCHS ?? 10);
  const det = new LstmDetector({ epochs });
  const fit = await det.fit({ seqs: train, vocabSize: 28 });
  const g = det.opts.topG;
  const t0 = performance.now();
  const heldScores = det.score({ seqs: held, vocabSize: 28 });
  const abScores = det.score({ seqs: abnormal, vocabSize: 28 });
  const secs = (performance.now() - t0) / 1000;
  const records = [...held, ...abnormal].reduce((n, s) => n + s.length, 0);
  const fpr = heldScores.filter((s) => s >= g).length / held.length;
  const recall = abScores.filter((s) => s >= g).length / abnormal.length;
  const precision = (recall * 16838) / (recall * 16838 + fpr * 553366);
  const f1 = (2 * precision * recall) / (precision + recall);
  // Batch windowed prediction in tfjs, for comparison with the PyTorch anchor.
  const pairs = det.windowPairs(held.slice(0, 100));
  const t1 = performance.now();
  det.predictTf(pairs.x, pairs.n);
  const tfWps = pairs.n / ((performance.now() - t1) / 1000);
  const cases = [
    {
      dataset: 'hdfs-deeplog',
      detector: 'lstm',
      backend,
      epochs,
      abnormal_sessions: abnormal.length,
      unique_windows: fit.windows,
      epoch_s: +fit.epochS.toFixed(2),
      fit_s: +(fit.fitMs / 1000).toFixed(1),
      tfjs_windows_per_s: Math.round(tfWps),
      streaming_records_per_s: Math.round(records / secs),
      precision: +precision.toFixed(4),
      recall: +recall.toFixed(4),
      f1: +f1.toFixed(4),
      fpr: +fpr.toFixed(4),
    },
  ];
  console.log(cases);
  writeResults('lstm', cases);
  updateDocSection(
    'lstm',
    markdownTable(cases, Object.keys(cases[0])) +
      '\n\n`EPOCHS=10 flock /tmp/anomalog-bench.lock npx tsx bench/lstm.ts` (2x64 LSTM, h=10, g=9).',
  );
}

void main();
