/**
 * Writes the feature matrices that bench/sklearn/compare.py scores with scikit-learn and that
 * bench/sklearn/score.ts scores with Anomalog's detectors, so both sides see the very same numbers.
 * Per dataset NAME: NAME.train.csv (fit rows), NAME.test.csv (scored rows), NAME.labels.csv
 * (1 = anomaly, one per test row). Usage: tsx bench/sklearn/features.ts --out DIR [--datasets DIR]
 *
 * - synthetic: 2,000 rows of a 10-d standard Gaussian to fit; test 1,000 more plus 50 anomalies,
 *   each shifted by 3 in one random feature (hard enough that ROC-AUC is not 1).
 * - synthetic-20k: the same at 20,000 fit rows and 5,000 + 250 test rows (all distinct: the size
 *   where fit time matters; scikit-learn's OC-SVM takes seconds here, so it is not sub-sampled).
 * - hdfs-deeplog: DeepLog key count vectors (28 keys), the datasets README protocol: hdfs_train
 *   shuffled with seed 42, fit on 80%, test = the other 20% (normal) + every abnormal session.
 * - hdfs-100k: template count vectors of the 7,940 block sessions; fit on the normal sessions of the
 *   train split (as the README's anchors), test = the test split; vocabulary = every template seen.
 * - pipeline-NAME: the matrices `npm run bench:detect` scores for each available dataset NAME
 *   (evaluate/datasets.ts loaders with seed 42, then evaluate/features.ts default features).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { datasetsDir } from '../lib/report';
import { availableDatasets, loadDataset, matrixInputs, mulberry32, type Matrix } from '../../collector-processor/src';

interface Split {
  train: number[][];
  test: number[][];
  labels: number[];
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function synthetic(trainRows: number, testRows: number, seed: number): Split {
  const rand = mulberry32(seed);
  const g = gaussian(rand);
  const row = (): number[] => Array.from({ length: 10 }, g);
  const train = Array.from({ length: trainRows }, row);
  const test = Array.from({ length: testRows }, row);
  const labels = test.map(() => 0);
  for (let i = 0; i < testRows / 20; i++) {
    const r = row();
    r[Math.floor(rand() * 10)] += 3;
    test.push(r);
    labels.push(1);
  }
  return { train, test, labels };
}

function shuffle<T>(items: T[], seed: number): T[] {
  const rand = mulberry32(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function hdfsDeeplog(dir: string): Split {
  const counts = (file: string): number[][] =>
    readFileSync(join(dir, 'hdfs', 'deeplog', file), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const v = new Array<number>(28).fill(0);
        for (const k of l.trim().split(/\s+/)) v[Number(k) - 1]++;
        return v;
      });
  const normal = shuffle(counts('hdfs_train'), 42);
  const cut = Math.floor(normal.length * 0.8);
  const abnormal = counts('hdfs_test_abnormal');
  const test = [...normal.slice(cut), ...abnormal];
  return { train: normal.slice(0, cut), test, labels: test.map((_, i) => (i < normal.length - cut ? 0 : 1)) };
}

function hdfs100k(dir: string): Split {
  const sessions = readFileSync(join(dir, 'hdfs', 'hdfs_100k_sessions.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { label: number; split: string; templates: string[] });
  const vocab = new Map<string, number>();
  for (const s of sessions) for (const t of s.templates) if (!vocab.has(t)) vocab.set(t, vocab.size);
  const vector = (ts: string[]): number[] => {
    const v = new Array<number>(vocab.size).fill(0);
    for (const t of ts) v[vocab.get(t)!]++;
    return v;
  };
  const train = sessions.filter((s) => s.split === 'train' && s.label === 0).map((s) => vector(s.templates));
  const testS = sessions.filter((s) => s.split === 'test');
  return { train, test: testS.map((s) => vector(s.templates)), labels: testS.map((s) => s.label) };
}

function rowsOf(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
}

function pipeline(name: string, dir: string): Split {
  const ds = loadDataset(name, dir, 42);
  const inputs = matrixInputs(ds);
  return { train: rowsOf(inputs.train), test: rowsOf(inputs.test()), labels: Array.from(ds.testLabels) };
}

function writeCsv(file: string, rows: number[][]): void {
  writeFileSync(file, rows.map((r) => r.join(',')).join('\n') + '\n');
}

function main(): void {
  const out = resolve(argValue('--out') ?? 'bench/results/sklearn-features');
  const data = datasetsDir();
  mkdirSync(out, { recursive: true });
  const sets: [string, () => Split][] = [
    ['synthetic', () => synthetic(2000, 1000, 7)],
    ['synthetic-20k', () => synthetic(20_000, 5000, 8)],
  ];
  if (existsSync(join(data, 'hdfs', 'deeplog', 'hdfs_train'))) sets.push(['hdfs-deeplog', () => hdfsDeeplog(data)]);
  else console.error(`hdfs-deeplog skipped: no ${join(data, 'hdfs', 'deeplog')}`);
  if (existsSync(join(data, 'hdfs', 'hdfs_100k_sessions.jsonl'))) sets.push(['hdfs-100k', () => hdfs100k(data)]);
  else console.error(`hdfs-100k skipped: no ${join(data, 'hdfs', 'hdfs_100k_sessions.jsonl')}`);
  for (const name of availableDatasets(data)) sets.push([`pipeline-${name}`, () => pipeline(name, data)]);
  const written: string[] = [];
  for (const [name, make] of sets) {
    const s = make();
    writeCsv(join(out, `${name}.train.csv`), s.train);
    writeCsv(join(out, `${name}.test.csv`), s.test);
    writeFileSync(join(out, `${name}.labels.csv`), s.labels.join('\n') + '\n');
    console.error(
      `${name}: ${s.train.length} train x ${s.train[0].length}, ${s.test.length} test (${s.labels.filter((l) => l).length} anomalies)`,
    );
    written.push(name);
  }
  writeFileSync(join(out, 'datasets.json'), JSON.stringify(written) + '\n');
}

main();
