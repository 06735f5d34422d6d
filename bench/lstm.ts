/**
 * `npm run bench:lstm`: the DeepLog LSTM at the live service's parameters (the default model config
 * through detect/lstm-params.ts, time budget `trainSeconds` included) on the hdfs-deeplog protocol of
 * the datasets README (loaded by evaluate/datasets.ts: shuffle hdfs_train with seed 42, train on 80%,
 * FPR on the other 20%, recall on every abnormal session, precision estimated at 16,838 : 553,366).
 * Cases, each its own fit:
 * - `small`: the first training sessions up to 10,000 records (the live service's default learning
 *   window, `training.records`), default parameters: the budget's goal is a fit under 2 minutes;
 * - `default`: all 75,944 training records, default parameters (the budget cuts the epochs);
 * - `full`: all training records, every epoch (`trainSeconds` unbounded): what the budget costs.
 * Each row: records, epochs run, whether the budget stopped training, the training loop's and the
 * whole fit's seconds, the verdicts' precision/recall/F1, batch windowed prediction in tfjs and in the
 * Float32Array kernel, and streaming through the live SequenceModel from a cold cache.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir, markdownTable, RESULTS_DIR, updateDocSection, writeResults, type BenchCase } from './lib/report';
import { updateReadmeTable } from './lib/readme-table';
import { batchSpeed, quality, streamingSpeed } from './lib/lstm-measure';
import {
  detectorFactory,
  initTf,
  loadDataset,
  lstmParams,
  LstmDetector,
  modelConfig,
  type SessionDataset,
} from '../collector-processor/src';

const SEED = 42;
const SMALL_RECORDS = 10_000;
/** The issue's goal for the small set: a default fit in under 2 minutes. */
const SMALL_GOAL_S = 120;
const CASES = ['small', 'default', 'full'] as const;
type CaseName = (typeof CASES)[number];

const HELP = `npm run bench:lstm [-- options]
  --case NAMES     comma-separated cases to run (default: ${CASES.join(',')}); results and docs are
                   written only when all run
  --save FILE      write the full case's trained model
  --model FILE     score a saved model as the full case instead of training it (fit figures omitted)
  --docs           re-render the docs section and README from bench/results/lstm.json, no measuring
  --datasets DIR   the shared datasets folder (default ANOMALOG_DATASETS or ../shared/datasets)
  --help           this text
Env EPOCHS=N caps the epochs of every case (exploratory runs).`;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The detector as the live service creates it (lstm-params.ts); `full` lifts the time budget. */
function createDetector(name: CaseName): LstmDetector {
  const params = lstmParams(modelConfig().detectors.lstm);
  if (name === 'full') params.trainSeconds = Infinity;
  if (process.env.EPOCHS) params.epochs = Number(process.env.EPOCHS);
  return detectorFactory('lstm').create(params, SEED) as LstmDetector;
}

/** The first training sessions (already shuffled with the seed) holding `records` records. */
function prefix(ds: SessionDataset, records: number): SessionDataset {
  let total = 0;
  let n = 0;
  while (n < ds.train.length && total < records) total += ds.train[n++].length;
  return { ...ds, name: `${ds.name} (first ${total.toLocaleString('en-US')} records)`, train: ds.train.slice(0, n) };
}

async function trainOrLoad(name: CaseName, ds: SessionDataset): Promise<{ det: LstmDetector; fit: BenchCase }> {
  const file = name === 'full' ? arg('model') : undefined;
  if (file) return { det: LstmDetector.load(readFileSync(file)), fit: {} };
  const det = createDetector(name);
  const r = await det.fit({ seqs: ds.train, vocabSize: ds.vocabSize }, (e, loss, val) =>
    console.error(`${name} epoch ${e}: loss ${loss.toFixed(4)} validation ${val.toFixed(4)}`),
  );
  const save = arg('save');
  if (save && name === 'full') writeFileSync(save, det.serialize());
  return {
    det,
    fit: {
      epochs: r.epochs,
      best_epoch: r.bestEpoch + 1,
      budget_stopped: r.budgetStopped,
      windows: r.windows,
      unique_windows: r.uniqueWindows,
      validation_sessions: r.validationSessions,
      epoch_s: +r.epochS.toFixed(2),
      train_loop_s: +(r.epochS * r.epochs).toFixed(1),
      fit_s: +(r.fitMs / 1000).toFixed(1),
    },
  };
}

const TRAINING: Record<CaseName, string> = {
  small: 'default',
  default: 'default',
  full: 'all epochs, no time budget',
};

async function runCase(name: CaseName, all: SessionDataset, backend: string): Promise<BenchCase> {
  const ds = name === 'small' ? prefix(all, SMALL_RECORDS) : all;
  const { det, fit } = await trainOrLoad(name, ds);
  const o = det.opts;
  const row: BenchCase = {
    case: name,
    dataset: ds.name,
    detector: 'lstm',
    mode: 'sequences',
    training: `${TRAINING[name]} (≤ ${o.epochs} epochs${o.budgetSeconds < Infinity ? `, trainSeconds ${o.budgetSeconds}` : ''})`,
    train_sessions: ds.train.length,
    train_records: ds.train.reduce((n, s) => n + s.length, 0),
    backend,
    model: `${o.layers}x${o.units} h=${o.window} ${det.ruleText()}`,
    ...fit,
    ...quality(det, ds),
    ...batchSpeed(det, ds),
    ...streamingSpeed(det, ds),
  };
  console.log(row);
  return row;
}

function writeDocs(rows: BenchCase[]): void {
  const fitColumns = ['dataset', 'training', 'train_records', 'epochs', 'budget_stopped', 'train_loop_s', 'fit_s'];
  const verdictColumns = ['dataset', 'training', 'precision', 'recall', 'f1', 'fpr', 'false_positives'];
  const speedColumns = ['dataset', 'training', 'tfjs_windows_per_s', 'kernel_windows_per_s'];
  const streamColumns = ['streaming_records_per_s', 'streaming_cache_hit_rate'];
  const small = rows.find((r) => r.case === 'small');
  const goal =
    small && typeof small.fit_s === 'number'
      ? `The ${Number(small.train_records).toLocaleString('en-US')}-record set fits in ${small.fit_s} s at the ` +
        `default parameters: ${small.fit_s < SMALL_GOAL_S ? 'within' : 'over'} the ${SMALL_GOAL_S} s goal. `
      : '';
  updateDocSection(
    'lstm',
    [
      markdownTable(rows, fitColumns),
      markdownTable(rows, verdictColumns),
      markdownTable(rows, [...speedColumns, ...streamColumns]),
      goal +
        '`train_loop_s` is the training loop (the part `trainSeconds` bounds), `fit_s` the whole fit ' +
        '(window pairs, validation split, loop, thresholds and count bounds). Seconds follow the shared ' +
        "machine's load (epochs per budget with them): compare the rows of one run, not runs. " +
        '`flock /tmp/anomalog-bench.lock npm run bench:lstm` (`-- --help` for its options; `EPOCHS=3` for ' +
        'a quick run). Every row is the hdfs-deeplog protocol of the datasets README on its training ' +
        "sessions; precision is estimated at the DeepLog test set's 16,838 : 553,366. Streaming goes " +
        'through the live SequenceModel from a cold window cache, 1,000 sessions interleaved, one core.',
    ].join('\n\n'),
  );
  updateReadmeTable();
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(HELP);
    return;
  }
  if (process.argv.includes('--docs')) {
    writeDocs(JSON.parse(readFileSync(join(RESULTS_DIR, 'lstm.json'), 'utf8')) as BenchCase[]);
    return;
  }
  const only = arg('case')?.split(',');
  const unknown = only?.filter((c) => !(CASES as readonly string[]).includes(c)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown case ${unknown.join(', ')}; cases: ${CASES.join(', ')}`);
  const run = CASES.filter((c) => !only || only.includes(c));
  const backend = await initTf();
  const ds = loadDataset('hdfs-deeplog', datasetsDir(), SEED);
  if (ds.kind !== 'sessions') throw new Error('hdfs-deeplog is a session dataset');
  const rows: BenchCase[] = [];
  for (const name of run) rows.push(await runCase(name, ds, backend));
  if (run.length < CASES.length) {
    console.error('partial run: results and docs left as they were');
    return;
  }
  writeResults('lstm', rows);
  writeDocs(rows);
}

void main();
