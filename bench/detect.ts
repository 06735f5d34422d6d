/**
 * `npm run bench:detect -- --dataset NAME [--detector D] [--datasets DIR] [--epochs N]`
 * Runs the benchmark framework (collector-processor/src/evaluate/run.ts, the same code the API's
 * benchmark view runs) and records bench/results/detect-NAME.json plus the Detection quality table
 * in docs/benchmarks.md (rows of the other datasets are kept, read from their result files).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DetectorName } from '@anomalog/shared';
import { datasetsDir, markdownTable, RESULTS_DIR, updateDocSection, writeResults, type BenchCase } from './lib/report';
import { runBenchmark } from '../collector-processor/src/evaluate/run';
import { datasetNames } from '../collector-processor/src/evaluate/datasets';
import { detectorNames } from '../collector-processor/src/detect/registry';

const CLASSIC: DetectorName[] = ['isolation-forest', 'one-class-svm', 'lof'];
const COLUMNS = ['dataset', 'detector', 'mode', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'fpr', 'fit_s', 'records_per_s'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const dataset = arg('dataset');
  if (!dataset || !datasetNames().includes(dataset))
    throw new Error(`--dataset is one of ${datasetNames().join(', ')}`);
  const only = arg('detector') as DetectorName | undefined;
  // The LSTM only when asked for: an epoch over hdfs-deeplog takes about a minute on wasm.
  const detectors = only ? [only] : registeredClassic();
  const epochs = arg('epochs') ? Number(arg('epochs')) : only === 'lstm' ? 3 : undefined;
  const results = await runBenchmark(
    { dataset, detectors },
    {
      datasetsDir: datasetsDir(),
      seed: 42,
      epochs,
      onProgress: (p, m) => m && console.error(`[${Math.round(p * 100)}%] ${m}`),
    },
  );
  const cases: BenchCase[] = results.map((r) => {
    const { roc: _roc, pr: _pr, ...rest } = r;
    return { ...rest, ...(r.detector === 'lstm' && epochs ? { epochs } : {}) } as BenchCase;
  });
  const file = join(RESULTS_DIR, `detect-${dataset}.json`);
  // a single-detector run replaces that detector's row and keeps the others
  const kept = only && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchCase[]).filter((c) => c.detector !== only) : [];
  const all = [...kept, ...cases].sort((a, b) => order(a) - order(b));
  console.log(`wrote ${writeResults(`detect-${dataset}`, all)}`);
  console.table(cases.map((c) => Object.fromEntries(COLUMNS.map((k) => [k, c[k]]))));
  updateDocSection('bench:detect', doc());
}

function order(c: BenchCase): number {
  const i = ['isolation-forest', 'one-class-svm', 'lof', 'autoencoder', 'lstm'].indexOf(String(c.detector));
  return i < 0 ? 99 : i;
}

/** Classic detectors that are registered in this build (the registration module lists them). */
function registeredClassic(): DetectorName[] {
  const known = detectorNames();
  return CLASSIC.filter((d) => known.includes(d));
}

function doc(): string {
  const rows: BenchCase[] = [];
  for (const name of datasetNames()) {
    const f = join(RESULTS_DIR, `detect-${name}.json`);
    if (existsSync(f)) rows.push(...(JSON.parse(readFileSync(f, 'utf8')) as BenchCase[]));
  }
  return [
    '## Detection quality',
    '',
    '`npm run bench:detect -- --dataset NAME [--detector D]` (one default configuration for every dataset, seed 42;',
    'see docs/features.md). Threshold: the shared default (false-positive rate 0.5 %: the 99.5th percentile of',
    'training scores); the LSTM uses its own top-g rule. `hdfs-deeplog`: precision and F1 are estimated at the DeepLog',
    'test ratio (16,838 : 553,366) from recall on all abnormal and FPR on held-out normal sessions; PR-AUC likewise',
    'weighted. `records_per_s`: log records scored per second (test rows through `score`, features already built).',
    '',
    markdownTable(rows, COLUMNS),
  ].join('\n');
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
