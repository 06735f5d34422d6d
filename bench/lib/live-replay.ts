/**
 * A labelled raw log replayed through the live annotation chain (`createAnnotationChain`, embedded
 * SQLite, as `npm start` runs it): each line becomes an OTLP record (the line format's Content as the
 * body, its Level as the severity, its time fields as the record time), the service learns on the
 * first `learnRecords` records and trains, then the rest is scored. Figures are over the scored part
 * only, per line (a record's flag and anomaly.score) and, with a session regex, per session: flagged
 * when one of its records was or its count vector was when it closed, scored by the highest of those.
 * Only sessions that start after the model arrived are counted (the others were cut by training).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ModelConfig, StoreConfig, validateWithDefaults, type DetectorName } from '@anomalog/shared';
import {
  batchAnnotations,
  compileLineFormat,
  createAnnotationChain,
  f1Of,
  logRecordOf,
  prCurve,
  rocAuc,
  severityFromText,
  SqliteStore,
  timeOf,
  type LogRecord,
} from '../../collector-processor/src';
import { serviceBatch } from './chain-input';
import type { BenchCase } from './report';

export interface LabelledLog {
  /** Dataset name in the rows. */
  dataset: string;
  /** Raw lines, in log order. */
  lines: readonly string[];
  /** loghub notation (Content is the message, Level the severity); absent: the whole line is the message. */
  lineFormat?: string;
  /** Sessions by this regex on the message (its first capture group, or the whole match, is the id). */
  sessionRegex?: string;
  /** Label per session id (with sessionRegex) or per 1-based line number. */
  labels: ReadonlyMap<string, 0 | 1>;
  /** Records the service learns on before it trains and scores the rest. */
  learnRecords: number;
}

const BATCH = 500;
const DAY_MS = 86_400_000;
const SERVICE = 'replay';

/** Each detector alone, and the default model. */
export const LIVE_CASES: readonly (DetectorName | 'default')[] = [
  'isolation-forest',
  'one-class-svm',
  'lof',
  'autoencoder',
  'lstm',
  'default',
];

interface Line {
  record: LogRecord;
  line: number;
}

/** The log's lines as records; a line without a time takes the last time seen (log order is kept). */
function records(log: LabelledLog): Line[] {
  const format = log.lineFormat ? compileLineFormat(log.lineFormat) : undefined;
  let last = Date.UTC(2000, 0, 1);
  const out: Line[] = [];
  log.lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const fields = format?.split(text);
    const t = fields ? timeOf(fields) : NaN;
    if (Number.isFinite(t)) last = Math.max(last, t);
    const ns = BigInt(Math.round(last)) * 1_000_000n;
    const level = fields?.Level ?? '';
    out.push({
      line: i + 1,
      record: logRecordOf({
        timeUnixNano: ns,
        observedTimeUnixNano: ns,
        severityNumber: severityFromText(level),
        severityText: level,
        body: { stringValue: fields?.Content ?? text },
      }),
    });
  });
  return out;
}

function modelFor(log: LabelledLog, detector: DetectorName | 'default'): ModelConfig {
  const detectors = Object.fromEntries(
    LIVE_CASES.filter((d) => d !== 'default').map((d) => [
      d,
      detector === 'default' ? {} : { enabled: d === detector },
    ]),
  );
  const mc = validateWithDefaults(ModelConfig, {
    ...(log.sessionRegex ? { sessionKey: { kind: 'regex', regex: log.sessionRegex } } : {}),
    // a replay has no wall-clock learning phase: the records decide, as in `anomalog score`
    learning: { records: log.learnRecords, minutes: Number.MAX_SAFE_INTEGER, retrainEveryMinutes: 0 },
    detectors,
  });
  if (!mc.ok) throw new Error(`model config: ${JSON.stringify(mc)}`);
  return mc.value;
}

/** The per-line and (with sessions) per-session rows of one case. */
export async function replayLive(log: LabelledLog, detector: DetectorName | 'default'): Promise<BenchCase[]> {
  const logger = pino({ level: 'silent' });
  const dataDir = mkdtempSync(join(tmpdir(), 'anomalog-live-replay-'));
  const sc = validateWithDefaults(StoreConfig, { dataDir });
  if (!sc.ok) throw new Error('store config');
  const store = new SqliteStore(sc.value, logger);
  await store.open();
  const started = Date.now();
  try {
    const chain = await createAnnotationChain(
      { detection: { defaultModel: modelFor(log, detector), maxServices: 4, contextLines: 0 } },
      { logger, store },
    );
    const { manager, detect } = chain;
    if (!manager || !detect) throw new Error('the chain was built without its detect stage');
    const all = records(log);
    const lineScores: number[] = [];
    const lineLabels: number[] = [];
    const lineFlags: boolean[] = [];
    /** Per session: scored records only, whether one was flagged, the highest score; undefined once cut. */
    const sessions = new Map<string, { flagged: boolean; score: number } | undefined>();
    /** Per session, learnt or scored: its template ids in order, to tell anomalies no detector can see. */
    const shapes = new Map<string, string[]>();
    for (let i = 0; i < all.length; i += BATCH) {
      const chunk = all.slice(i, i + BATCH);
      const b = serviceBatch(
        SERVICE,
        chunk.map((l) => l.record),
      );
      await chain.process(b);
      batchAnnotations(b).forEach((f, k) => {
        const id = f.sessionId;
        if (id !== undefined) {
          const shape = shapes.get(id);
          if (shape) shape.push(f.templateId);
          else shapes.set(id, [f.templateId]);
        }
        if (f.unscored || f.score === undefined) {
          if (id !== undefined) sessions.set(id, undefined); // started before the model: cut
          return;
        }
        const label = log.sessionRegex
          ? id !== undefined
            ? log.labels.get(id)
            : undefined
          : log.labels.get(String(chunk[k].line));
        if (label !== undefined) {
          lineScores.push(f.score);
          lineLabels.push(label);
          lineFlags.push(f.isAnomaly === true);
        }
        if (id === undefined) return;
        const s = sessions.has(id) ? sessions.get(id) : { flagged: false, score: 0 };
        if (!s) return;
        s.flagged ||= f.isAnomaly === true;
        s.score = Math.max(s.score, f.score);
        sessions.set(id, s);
      });
      // training done before the first scored record, as on a service that learned earlier
      if (i < log.learnRecords && i + BATCH >= log.learnRecords) await manager.idle();
    }
    // a record a day later closes every open session and window (its own verdict is not counted)
    const lastNs = all.length ? all[all.length - 1].record.timeUnixNano : 0n;
    const end = logRecordOf({
      timeUnixNano: lastNs + BigInt(DAY_MS) * 1_000_000n,
      body: { stringValue: 'end of replay' },
    });
    await chain.process(serviceBatch(SERVICE, [end]));
    await detect.flush();
    const stored = (await store.queryAnomalies({ limit: 1_000_000 })).items;
    let groupAlarms = 0;
    for (const a of stored) {
      if (!a.detector.includes('/')) continue;
      groupAlarms++;
      const s = a.sessionId !== undefined ? sessions.get(a.sessionId) : undefined;
      if (!s) continue;
      s.flagged = true;
      s.score = Math.max(s.score, a.score);
    }
    await detect.close?.();
    const base = {
      dataset: log.dataset,
      detector,
      mode: 'live',
      path: 'live',
      train_records: Math.min(log.learnRecords, all.length),
      run_s: (Date.now() - started) / 1000,
    };
    const rows: BenchCase[] = [
      { ...base, unit: 'line', ...quality(lineFlags, lineScores, lineLabels), group_alarms: groupAlarms },
    ];
    if (log.sessionRegex) {
      const scored = [...sessions].filter(
        (e): e is [string, { flagged: boolean; score: number }] => e[1] !== undefined && log.labels.has(e[0]),
      );
      rows.push({
        ...base,
        unit: 'session',
        ...quality(
          scored.map(([, s]) => s.flagged),
          scored.map(([, s]) => s.score),
          scored.map(([id]) => log.labels.get(id)!),
        ),
        anomalies_like_normal: likeNormal(
          scored.map(([id]) => id),
          shapes,
          log.labels,
        ),
      });
    }
    return rows;
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Anomalous sessions among `ids` whose template sequence is exactly that of a normal session of the
 * replay: nothing in the log tells them apart (their anomaly lies outside it).
 */
function likeNormal(ids: readonly string[], shapes: ReadonlyMap<string, string[]>, labels: LabelledLog['labels']) {
  const key = (id: string) => (shapes.get(id) ?? []).join('\n');
  const normal = new Set<string>();
  for (const id of shapes.keys()) if (labels.get(id) === 0) normal.add(key(id));
  return ids.filter((id) => labels.get(id) === 1 && normal.has(key(id))).length;
}

/** Flags and anomaly.score against the labels: the figures bench:detect's other rows carry. */
function quality(flags: readonly boolean[], scores: readonly number[], labels: readonly number[]) {
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < flags.length; i++) {
    positives += labels[i];
    if (!flags[i]) continue;
    if (labels[i]) tp++;
    else fp++;
  }
  const negatives = flags.length - positives;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = positives ? tp / positives : 0;
  const both = positives > 0 && negatives > 0;
  return {
    test_rows: flags.length,
    anomalies: positives,
    flagged: tp + fp,
    precision: round(precision),
    recall: round(recall),
    f1: round(f1Of(precision, recall)),
    f1_default: round(f1Of(precision, recall)),
    best_f1: both ? round(bestF1(scores, labels)) : null,
    score_roc_auc: both ? round(rocAuc(Float64Array.from(scores), Uint8Array.from(labels))) : null,
    fpr: negatives ? round(fp / negatives, 6) : 0,
  };
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Best F1 over every threshold on anomaly.score, computed with the labels (a reference beside
 * f1_default, as in the offline rows).
 */
function bestF1(scores: readonly number[], labels: readonly number[]): number {
  let best = 0;
  for (const [r, p] of prCurve(Float64Array.from(scores), Uint8Array.from(labels))) best = Math.max(best, f1Of(p, r));
  return best;
}
