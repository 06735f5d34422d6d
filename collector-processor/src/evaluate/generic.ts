/**
 * Benchmark data from raw text: a log, its line format, an optional session regex and a labels CSV.
 * Used by hdfs-20k-raw and bgl-2k and by users with their own labeled logs (also a folder of files,
 * one session each, and explicit train/test id lists). Sessions go through the code the live pipeline
 * runs: line-format splitter → TemplateMiner → SessionTracker → count vectors. Lines get the live
 * service's record vector (model/record-vector.ts, frequencies from the training lines) and
 * bench:detect decides on them with the live rules (the record rate and the unseen-template rule,
 * evaluate/run.ts). These rows are still offline experiments (a seeded split, not a stream): the
 * live replay (bench:detect --live, bench/lib/live-replay.ts) runs the service's chain itself.
 */
import type { Matrix } from '../detect/detector';
import { SessionTracker, type ClosedSession } from '../features/sessions';
import {
  RECORD_DIMS,
  RECORD_FEATURES,
  severityCounts,
  writeRecordVector,
  type TemplateFrequencies,
} from '../model/record-vector';
import { parseLog, type ParsedLine, type ParsedLog } from './raw-logs';
import { parseLabels } from './csv';
import { shuffle, trainFirst, type RecordDataset, type SessionDataset } from './dataset';

export interface GenericSource {
  name: string;
  log: string;
  lineFormat?: string;
  /** Sessions by this regex on the message; without it, every line is scored (labels by line number). */
  sessionRegex?: string;
  /** CSV `id,label`: session id (the regex match) or 1-based line number. */
  labels: string;
  /** For wider label CSVs (loghub structured files): the id and label column names. */
  labelColumns?: { id: string; label: string };
  seed: number;
  /** Session inactivity timeout (the processor's default: 300 s). */
  inactivityMs?: number;
  /**
   * Explicit split by id (session id, file id or line number) instead of the seeded half split: the
   * train ids train unless labeled anomalous (a train id without a label counts as normal), the
   * test ids are scored (those without a label are dropped).
   */
  split?: { train: readonly string[]; test: readonly string[] };
  /**
   * One session per file (a folder of logs): each file's lines are one session, its id the file's
   * path. `log` and `sessionRegex` are not used. A label row names a file or a group: any folder
   * above it (`group/file.log` takes `group`'s label when the file has none of its own).
   */
  files?: readonly { id: string; text: string }[];
}

/** A labeled unit (session, file or line) before the split. */
interface Row<T> {
  id: string;
  item: T;
  label: 0 | 1 | undefined;
}

/**
 * Train (normal) and test rows: the explicit split when given, else shuffled with the seed, the
 * first half's normal rows train and the second half is scored. Rows without a label only train,
 * and only when listed as train ids.
 */
function splitRows<T>(src: GenericSource, rows: Row<T>[]): { train: Row<T>[]; test: Row<T>[] } {
  if (src.split) {
    const train = new Set(src.split.train);
    const test = new Set(src.split.test);
    for (const id of train)
      if (test.has(id)) throw new Error(`${src.name}: id "${id}" is in both the train and the test list`);
    // rows in the lists' order (an id can have several rows: a block cut by inactivity)
    const byId = new Map<string, Row<T>[]>();
    for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
    const missing = [...train, ...test].filter((id) => !byId.has(id));
    if (missing.length)
      throw new Error(`${src.name}: ${missing.length} listed ids are not in the log (first: "${missing[0]}")`);
    return {
      train: [...train].flatMap((id) => byId.get(id)!).filter((r) => r.label !== 1),
      test: [...test].flatMap((id) => byId.get(id)!).filter((r) => r.label !== undefined),
    };
  }
  const labeled = rows.filter((r) => r.label !== undefined);
  shuffle(labeled, src.seed);
  const half = Math.floor(labeled.length / 2);
  return { train: labeled.slice(0, half).filter((r) => r.label === 0), test: labeled.slice(half) };
}

function splitNote(src: GenericSource, what: string): string {
  return src.split
    ? `explicit split: ${src.split.train.length} train ids (normal ${what} train), ${src.split.test.length} test ids`
    : `seeded 50/50 split, normal ${what} of the first half train`;
}

export const DEFAULT_INACTIVITY_MS = 300_000;

/**
 * Sessions (by the regex, or one per file): split as splitRows says. A block split into several
 * sessions (inactivity) gives several rows with the block's label.
 */
export function loadGenericSessions(src: GenericSource): SessionDataset {
  const labels = parseLabels(src.labels, src.labelColumns?.id, src.labelColumns?.label);
  const { parsed, sessions } = src.files
    ? fileSessions(src.files, src.lineFormat, src.name)
    : (() => {
        const p = parseLog(src.log, src.lineFormat, src.name);
        return { parsed: p, sessions: trackSessions(p, src.sessionRegex!, src.inactivityMs ?? DEFAULT_INACTIVITY_MS) };
      })();
  const labelOf = src.files ? (id: string) => groupLabel(labels, id) : (id: string) => labels.get(id);
  const rows: Row<Int32Array>[] = sessions.map((s) => ({ id: s.key, item: s.templates, label: labelOf(s.key) }));
  const unlabeled = rows.filter((r) => r.label === undefined).length;
  if (rows.length - unlabeled < 4 && !src.split)
    throw new Error(`${src.name}: only ${rows.length - unlabeled} labeled sessions (need 4 or more)`);
  const { train: trainRows, test: testRows } = splitRows(src, rows);
  checkSplit(src.name, 'sessions', trainRows.length, testRows);
  const v = trainFirst(
    trainRows.map((r) => r.item),
    testRows.map((r) => r.item),
    parsed.templates,
  );
  return {
    kind: 'sessions',
    name: src.name,
    train: v.train,
    test: v.test,
    testLabels: Uint8Array.from(testRows, (r) => r.label!),
    trainVocab: v.trainVocab,
    vocabSize: v.vocabSize,
    templateNames: v.names,
    notes:
      `${parsed.lines.length} lines, ${parsed.vocabulary.size} templates, ${sessions.length} ` +
      `${src.files ? 'files (one session each)' : 'sessions'} (${unlabeled} without a label); ${splitNote(src, 'sessions')}`,
  };
}

/** One session per file: the files parsed in order as one log (one miner), cut back at file bounds. */
export function fileSessions(
  files: readonly { id: string; text: string }[],
  lineFormat: string | undefined,
  name: string,
): { parsed: ParsedLog; sessions: { key: string; templates: Int32Array }[] } {
  const ends: number[] = [];
  let lines = 0;
  const texts = files.map((f) => {
    const t = f.text.replace(/\r?\n$/, '');
    lines += t.split(/\r?\n/).length;
    ends.push(lines);
    return t;
  });
  const parsed = parseLog(texts.join('\n'), lineFormat, name);
  const templates: number[][] = files.map(() => []);
  let k = 0;
  for (const l of parsed.lines) {
    while (l.line > ends[k]) k++;
    templates[k].push(l.template);
  }
  return { parsed, sessions: files.map((f, i) => ({ key: f.id, templates: Int32Array.from(templates[i]) })) };
}

/** A file's label, or else the label of the nearest folder above it (its group). */
function groupLabel(labels: ReadonlyMap<string, 0 | 1>, id: string): 0 | 1 | undefined {
  for (let key = id; key; key = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '') {
    const l = labels.get(key);
    if (l !== undefined) return l;
  }
  return undefined;
}

/** The live pipeline's session code over parsed lines; returns every session once the log ends. */
export function trackSessions(parsed: ParsedLog, regex: string, inactivityMs: number): ClosedSession[] {
  const out: ClosedSession[] = [];
  const tracker = new SessionTracker(
    { kind: 'regex', regex, inactivityMs, maxEvents: 100_000, maxOpen: 1_000_000 },
    (s) => out.push(s),
  );
  for (const l of parsed.lines)
    tracker.add({ service: 'log', template: l.template, timeMs: l.timeMs, message: l.message }, l.timeMs);
  tracker.flush();
  return out;
}

/**
 * Lines, with the sessions' protocol: labeled lines shuffled with the seed, the first half's normal
 * lines are the training data (template frequencies are learnt from them only, and the detectors fit
 * on them), the second half is scored. Templates themselves are mined over the
 * whole log in order, as the streaming miner would see it; the miner never sees a label.
 */
export function loadGenericLines(src: GenericSource): RecordDataset {
  const parsed = parseLog(src.log, src.lineFormat, src.name);
  const labels = parseLabels(src.labels, src.labelColumns?.id, src.labelColumns?.label);
  const rows: Row<{ line: ParsedLine; at: number }>[] = parsed.lines.map((l, at) => ({
    id: String(l.line),
    item: { line: l, at },
    label: labels.get(String(l.line)),
  }));
  const labeled = rows.filter((r) => r.label !== undefined).length;
  if (labeled < 4 && !src.split) throw new Error(`${src.name}: only ${labeled} labeled lines (need 4 or more)`);
  const split = splitRows(src, rows);
  const trainRows = split.train.map((r) => r.item);
  const train = trainRows.map((r) => r.line);
  const test = split.test.map((r) => ({ ...r.item, label: r.label! }));
  checkSplit(src.name, 'lines', train.length, test);
  const testLines = test.map((r) => r.line);
  const freq = trainingFrequencies(train);
  return {
    kind: 'records',
    name: src.name,
    train: recordVectors(train, freq),
    test: recordVectors(testLines, freq),
    testLabels: Uint8Array.from(test, (r) => r.label),
    testUnseen: Uint8Array.from(testLines, (l) => (freq.counts.has(String(l.template)) ? 0 : 1)),
    trainFrequencies: freq,
    featureNames: RECORD_FEATURES,
    stream: {
      keys: Int32Array.from(parsed.lines, (l) => l.template),
      vocabSize: parsed.templates.length,
      trainAt: Int32Array.from(trainRows, (r) => r.at),
      testAt: Int32Array.from(test, (r) => r.at),
    },
    notes:
      `${parsed.lines.length} lines (${parsed.unmatched} not matching the line format), ${parsed.vocabulary.size} templates; ` +
      splitNote(src, 'lines'),
  };
}

/** ROC-AUC needs both classes in the scored half, and the detectors need normal training data. */
function checkSplit(name: string, what: string, trainNormal: number, test: readonly { label?: 0 | 1 }[]): void {
  const anomalies = test.reduce((n, r) => n + (r.label ?? 0), 0);
  if (trainNormal === 0) throw new Error(`${name}: no normal ${what} to train on`);
  if (anomalies === 0 || anomalies === test.length)
    throw new Error(`${name}: the scored half has ${anomalies === 0 ? 'no anomalous' : 'only anomalous'} ${what}`);
}

/** Template frequencies of the training lines, keyed as the live model keys them (here: the vocabulary column). */
function trainingFrequencies(train: readonly ParsedLine[]): TemplateFrequencies {
  const counts = new Map<string, number>();
  for (const l of train) counts.set(String(l.template), (counts.get(String(l.template)) ?? 0) + 1);
  return { counts, total: train.length, severities: severityCounts(train.length, (i) => train[i].severityNumber) };
}

/** The live service's record vectors (model/record-vector.ts) of `lines` against the training frequencies. */
function recordVectors(lines: readonly ParsedLine[], freq: TemplateFrequencies): Matrix {
  const data = new Float64Array(lines.length * RECORD_DIMS);
  lines.forEach((l, i) =>
    writeRecordVector(data, i * RECORD_DIMS, freq, String(l.template), l.severityNumber, l.tokens),
  );
  return { data, rows: lines.length, cols: RECORD_DIMS };
}

export function loadGeneric(src: GenericSource): SessionDataset | RecordDataset {
  return src.sessionRegex || src.files ? loadGenericSessions(src) : loadGenericLines(src);
}
