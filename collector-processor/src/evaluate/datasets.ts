/**
 * The named benchmark datasets (files under the datasets directory, see ../shared/datasets/README.md)
 * and the `generic` / `upload` source. Each loader returns a Dataset in memory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Vocabulary } from '../features/vocabulary';
import { loadGeneric, type GenericSource } from './generic';
import { shuffle, trainFirst, type Dataset, type SessionDataset } from './dataset';

export const HDFS_LINE_FORMAT = '<Date> <Time> <Pid> <Level> <Component>: <Content>';
export const BGL_LINE_FORMAT =
  '<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>';
export const HDFS_BLOCK_REGEX = 'blk_-?\\d+';

/** The named datasets that are labelled raw logs (bench:detect --live replays them through the live chain). */
export const RAW_LOGS: Record<string, (dir: string) => Omit<GenericSource, 'seed'>> = {
  'hdfs-20k-raw': (dir) => ({
    name: 'hdfs-20k-raw',
    log: read(dir, 'hdfs/HDFS_20000.log'),
    lineFormat: HDFS_LINE_FORMAT,
    sessionRegex: HDFS_BLOCK_REGEX,
    labels: read(dir, 'hdfs/HDFS_20000.block_labels.csv'),
  }),
  'bgl-2k': (dir) => ({
    name: 'bgl-2k',
    log: read(dir, 'loghub-2k/BGL/BGL_2k.log'),
    lineFormat: BGL_LINE_FORMAT,
    labels: read(dir, 'loghub-2k/BGL/BGL_2k.log_structured.csv'),
    labelColumns: { id: 'LineId', label: 'Label' },
  }),
};

interface NamedDataset {
  /** Files that must exist (relative to the datasets dir) for the dataset to be listed. */
  files: string[];
  load(dir: string, seed: number): Dataset;
}

export const DATASETS: Record<string, NamedDataset> = {
  'hdfs-100k': { files: ['hdfs/hdfs_100k_sessions.jsonl'], load: loadHdfs100k },
  'hdfs-20k-raw': {
    files: ['hdfs/HDFS_20000.log', 'hdfs/HDFS_20000.block_labels.csv'],
    load: (dir, seed) => loadGeneric({ ...RAW_LOGS['hdfs-20k-raw'](dir), seed }),
  },
  'bgl-2k': {
    files: ['loghub-2k/BGL/BGL_2k.log', 'loghub-2k/BGL/BGL_2k.log_structured.csv'],
    load: (dir, seed) => loadGeneric({ ...RAW_LOGS['bgl-2k'](dir), seed }),
  },
  'hdfs-deeplog': {
    files: ['hdfs/deeplog/hdfs_train', 'hdfs/deeplog/hdfs_test_abnormal'],
    load: loadHdfsDeeplog,
  },
};

export function datasetNames(): string[] {
  return Object.keys(DATASETS);
}

/** Named datasets whose files are present in `dir`. */
export function availableDatasets(dir: string): string[] {
  return Object.entries(DATASETS)
    .filter(([, d]) => d.files.every((f) => existsSync(join(dir, f))))
    .map(([name]) => name);
}

export function loadDataset(name: string, dir: string, seed: number): Dataset {
  const d = DATASETS[name];
  if (!d) throw new Error(`unknown dataset "${name}" (known: ${datasetNames().join(', ')}, upload)`);
  const missing = d.files.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) throw new Error(`dataset ${name}: missing ${missing.join(', ')} in ${dir}`);
  return d.load(dir, seed);
}

/** A user's own labeled log, from file paths (CLI) — the API's upload passes contents to loadGeneric. */
export function loadGenericFiles(
  opts: Omit<GenericSource, 'log' | 'labels'> & { logFile: string; labelsFile: string },
): Dataset {
  const { logFile, labelsFile, ...rest } = opts;
  return loadGeneric({ ...rest, log: readFileSync(logFile, 'utf8'), labels: readFileSync(labelsFile, 'utf8') });
}

/**
 * A folder of logs, one session per file (every file below `dir`, in path order, ids relative to
 * `dir` with '/' separators); labels per file or per folder (generic.ts). `idsFile`s, when given,
 * hold the train and test ids one per line.
 */
export function loadGenericFolder(
  opts: Omit<GenericSource, 'log' | 'labels' | 'files' | 'split'> & {
    dir: string;
    labelsFile: string;
    trainIdsFile?: string;
    testIdsFile?: string;
  },
): Dataset {
  const { dir, labelsFile, trainIdsFile, testIdsFile, ...rest } = opts;
  const files = filesBelow(dir).map((id) => ({ id, text: readFileSync(join(dir, id), 'utf8') }));
  if (files.length === 0) throw new Error(`${dir}: no files to read sessions from`);
  return loadGeneric({
    ...rest,
    log: '',
    labels: readFileSync(labelsFile, 'utf8'),
    files,
    split: readSplit(trainIdsFile, testIdsFile),
  });
}

/** Train and test id lists from files (one id per line; both or neither). */
export function readSplit(trainFile?: string, testFile?: string): GenericSource['split'] {
  if (!trainFile && !testFile) return undefined;
  if (!trainFile || !testFile) throw new Error('give both the train and the test id list, or neither');
  const ids = (f: string) =>
    readFileSync(f, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
  return { train: ids(trainFile), test: ids(testFile) };
}

/** Paths of the regular files below `dir`, relative, '/'-separated, sorted. */
function filesBelow(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesBelow(dir, rel));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

/** The given train/test split; normal training blocks train (as the README's scikit-learn anchors). */
function loadHdfs100k(dir: string): SessionDataset {
  const vocab = new Vocabulary();
  const names: string[] = [];
  const train: Int32Array[] = [];
  const test: Int32Array[] = [];
  const labels: number[] = [];
  for (const line of read(dir, 'hdfs/hdfs_100k_sessions.jsonl').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { label: number; split: string; templates: string[] };
    const seq = Int32Array.from(row.templates, (t) => {
      const col = vocab.add(t);
      names[col] = t;
      return col;
    });
    if (row.split === 'train') {
      if (row.label === 0) train.push(seq);
    } else {
      test.push(seq);
      labels.push(row.label ? 1 : 0);
    }
  }
  const v = trainFirst(train, test, names);
  return {
    kind: 'sessions',
    name: 'hdfs-100k',
    train: v.train,
    test: v.test,
    testLabels: Uint8Array.from(labels),
    trainVocab: v.trainVocab,
    vocabSize: v.vocabSize,
    templateNames: v.names,
    notes: `given split: ${train.length} normal training blocks, ${test.length} test blocks`,
  };
}

/**
 * The README's protocol: shuffle hdfs_train (seed), train on 80%, FPR on the other 20%, recall on
 * every abnormal session; precision estimated at the DeepLog test set's 16,838 : 553,366.
 * Keys 1..28 become template indexes 0..27.
 */
function loadHdfsDeeplog(dir: string, seed: number): SessionDataset {
  const keys = (f: string): Int32Array[] =>
    read(dir, `hdfs/deeplog/${f}`)
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => Int32Array.from(l.trim().split(/\s+/), (k) => Number(k) - 1));
  const normal = shuffle(keys('hdfs_train'), seed);
  const abnormal = keys('hdfs_test_abnormal');
  const cut = Math.floor(normal.length * 0.8);
  const held = normal.slice(cut);
  const names = Array.from({ length: 28 }, (_, i) => `key ${i + 1}`);
  return {
    kind: 'sessions',
    name: 'hdfs-deeplog',
    train: normal.slice(0, cut),
    test: [...held, ...abnormal],
    testLabels: Uint8Array.from({ length: held.length + abnormal.length }, (_, i) => (i < held.length ? 0 : 1)),
    trainVocab: 28,
    vocabSize: 28,
    templateNames: names,
    estimateAt: { anomalies: 16838, normals: 553366 },
    notes: `${cut} training sessions, ${held.length} held-out normal, ${abnormal.length} abnormal`,
  };
}
