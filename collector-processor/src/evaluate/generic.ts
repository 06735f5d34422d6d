/**
 * Benchmark data from raw text: a log, its line format, an optional session regex and a labels CSV.
 * Used by hdfs-20k-raw and bgl-2k and by users with their own labeled logs. Everything goes through
 * the code the live pipeline runs: line-format splitter → TemplateMiner → SessionTracker (sessions)
 * or RecordFeaturizer (lines).
 */
import type { Matrix } from '../detect/detector';
import { SessionTracker, type ClosedSession } from '../features/sessions';
import { RecordFeaturizer, RECORD_FEATURE_DIMS, RECORD_FEATURE_NAMES } from '../features/record-features';
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
}

export const DEFAULT_INACTIVITY_MS = 300_000;

/**
 * Sessions: shuffled with the seed, the first half's normal sessions train, the second half tests.
 * A block split into several sessions (inactivity) gives several rows with the block's label.
 */
export function loadGenericSessions(src: GenericSource): SessionDataset {
  const parsed = parseLog(src.log, src.lineFormat, src.name);
  const labels = parseLabels(src.labels, src.labelColumns?.id, src.labelColumns?.label);
  const sessions = trackSessions(parsed, src.sessionRegex!, src.inactivityMs ?? DEFAULT_INACTIVITY_MS);
  const rows: { seq: Int32Array; label: 0 | 1 }[] = [];
  let unlabeled = 0;
  for (const s of sessions) {
    const label = labels.get(s.key);
    if (label === undefined) unlabeled++;
    else rows.push({ seq: s.templates, label });
  }
  if (rows.length < 4) throw new Error(`${src.name}: only ${rows.length} labeled sessions (need 4 or more)`);
  shuffle(rows, src.seed);
  const half = Math.floor(rows.length / 2);
  const trainRows = rows.slice(0, half).filter((r) => r.label === 0);
  const testRows = rows.slice(half);
  checkSplit(src.name, 'sessions', trainRows.length, testRows);
  const v = trainFirst(
    trainRows.map((r) => r.seq),
    testRows.map((r) => r.seq),
    parsed.templates,
  );
  return {
    kind: 'sessions',
    name: src.name,
    train: v.train,
    test: v.test,
    testLabels: Uint8Array.from(testRows, (r) => r.label),
    trainVocab: v.trainVocab,
    vocabSize: v.vocabSize,
    templateNames: v.names,
    notes:
      `${parsed.lines.length} lines, ${parsed.vocabulary.size} templates, ${sessions.length} sessions ` +
      `(${unlabeled} without a label, dropped); seeded 50/50 split, normal sessions of the first half train`,
  };
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
 * lines are the training data (template frequencies and parameter ranges are learnt from them only,
 * and the detectors fit on them), the second half is scored. Templates themselves are mined over the
 * whole log in order, as the streaming miner would see it; the miner never sees a label.
 */
export function loadGenericLines(src: GenericSource): RecordDataset {
  const parsed = parseLog(src.log, src.lineFormat, src.name);
  const labels = parseLabels(src.labels, src.labelColumns?.id, src.labelColumns?.label);
  const rows: { line: ParsedLine; at: number; label: 0 | 1 }[] = [];
  parsed.lines.forEach((l, at) => {
    const label = labels.get(String(l.line));
    if (label !== undefined) rows.push({ line: l, at, label });
  });
  if (rows.length < 4) throw new Error(`${src.name}: only ${rows.length} labeled lines (need 4 or more)`);
  shuffle(rows, src.seed);
  const half = Math.floor(rows.length / 2);
  const trainRows = rows.slice(0, half).filter((r) => r.label === 0);
  const train = trainRows.map((r) => r.line);
  const test = rows.slice(half);
  checkSplit(src.name, 'lines', train.length, test);
  const featurizer = new RecordFeaturizer();
  for (const l of train) featurizer.observe(l);
  return {
    kind: 'records',
    name: src.name,
    train: featureMatrix(train, featurizer),
    test: featureMatrix(
      test.map((r) => r.line),
      featurizer,
    ),
    testLabels: Uint8Array.from(test, (r) => r.label),
    featureNames: RECORD_FEATURE_NAMES,
    stream: {
      keys: Int32Array.from(parsed.lines, (l) => l.template),
      vocabSize: parsed.templates.length,
      trainAt: Int32Array.from(trainRows, (r) => r.at),
      testAt: Int32Array.from(test, (r) => r.at),
    },
    notes:
      `${parsed.lines.length} lines (${parsed.unmatched} not matching the line format), ${parsed.vocabulary.size} templates; ` +
      `seeded 50/50 split of labeled lines, normal lines of the first half train`,
  };
}

/** ROC-AUC needs both classes in the scored half, and the detectors need normal training data. */
function checkSplit(name: string, what: string, trainNormal: number, test: readonly { label: 0 | 1 }[]): void {
  const anomalies = test.reduce((n, r) => n + r.label, 0);
  if (trainNormal === 0) throw new Error(`${name}: no normal ${what} to train on`);
  if (anomalies === 0 || anomalies === test.length)
    throw new Error(`${name}: the scored half has ${anomalies === 0 ? 'no anomalous' : 'only anomalous'} ${what}`);
}

function featureMatrix(lines: readonly ParsedLine[], f: RecordFeaturizer): Matrix {
  const cols = RECORD_FEATURE_DIMS;
  const data = new Float64Array(lines.length * cols);
  lines.forEach((l, i) => f.write(l, data, i * cols));
  return { data, rows: lines.length, cols };
}

export function loadGeneric(src: GenericSource): SessionDataset | RecordDataset {
  return src.sessionRegex ? loadGenericSessions(src) : loadGenericLines(src);
}
