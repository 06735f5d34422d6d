import type { AnomalyQuery, Feedback, ModelVersion } from '@anomalog/shared';
import type { Anomaly } from '@anomalog/shared';
import type { AnomalyContextAfter, AnomalyRecord } from './anomalies';
import type { Logger } from '../telemetry/logger';
import { StoreQueryError } from './errors';
import { cleanJson, cleanText } from './sanitize';

/**
 * Row shapes and SQL fragments shared by both backends. Anomalies keep their filterable fields in
 * columns (indexed) and the rest (attributes, context, explanation) in one JSON document.
 */

export const ANOMALY_COLUMNS =
  'id, time_ms, service, template_id, template, message, score, detector, reason, session_id, severity_text, suppressed';

export interface AnomalyRow {
  id: string;
  time_ms: number;
  service: string;
  template_id: string;
  template: string;
  message: string;
  score: number;
  detector: string;
  reason: string;
  session_id: string | null;
  severity_text: string | null;
  suppressed: number | boolean;
  detail?: string | object;
}

export interface AnomalyInsert {
  id: string;
  timeMs: number;
  service: string;
  templateId: string;
  template: string;
  message: string;
  score: number;
  detector: string;
  reason: string;
  sessionId: string | null;
  severityText: string | null;
  suppressed: boolean;
  detail: string;
}

const REQUIRED_TEXT = ['id', 'service', 'templateId', 'template', 'message', 'detector', 'reason'] as const;

/**
 * What insertAnomalies writes for one record; context cut to `contextLines` lines nearest the
 * anomaly, text cleaned (sanitize.ts). Throws StoreQueryError for a record no backend can store
 * (time not ISO, score not finite, a required text field missing): SQLite's INSERT OR IGNORE would
 * skip it silently and PostgreSQL would fail the whole batch.
 */
export function toInsert(a: AnomalyRecord, contextLines: number): AnomalyInsert {
  for (const key of REQUIRED_TEXT)
    if (typeof a[key] !== 'string') throw new StoreQueryError(`anomaly ${String(a.id)}: ${key} is not a string`);
  const timeMs = Date.parse(a.time);
  if (!Number.isFinite(timeMs)) throw new StoreQueryError(`anomaly ${a.id}: time "${a.time}" is not an ISO time`);
  if (typeof a.score !== 'number' || !Number.isFinite(a.score))
    throw new StoreQueryError(`anomaly ${a.id}: score ${String(a.score)} is not a finite number`);
  const detail = cleanJson({
    attributes: a.attributes ?? {},
    context: nearestContext(a.context ?? [], timeMs, contextLines),
    explanation: a.explanation ?? { reason: a.reason },
  });
  return {
    id: cleanText(a.id),
    timeMs,
    service: cleanText(a.service),
    templateId: cleanText(a.templateId),
    template: cleanText(a.template),
    message: cleanText(a.message),
    score: a.score,
    detector: cleanText(a.detector),
    reason: cleanText(a.reason),
    sessionId: typeof a.sessionId === 'string' ? cleanText(a.sessionId) : null,
    severityText: typeof a.severityText === 'string' ? cleanText(a.severityText) : null,
    suppressed: a.suppressed === true,
    detail: JSON.stringify(detail),
  };
}

/**
 * The rows of a batch that can be stored; the others are logged (ids and why) and left out, so one
 * malformed record does not cost the batch.
 */
export function toInserts(anomalies: readonly AnomalyRecord[], contextLines: number, logger: Logger): AnomalyInsert[] {
  const rows: AnomalyInsert[] = [];
  const rejected: string[] = [];
  for (const a of anomalies) {
    try {
      rows.push(toInsert(a, contextLines));
    } catch (err) {
      if (!(err instanceof StoreQueryError)) throw err;
      rejected.push(err.message);
    }
  }
  if (rejected.length)
    logger.warn(
      { rejected: rejected.length, examples: rejected.slice(0, 5) },
      'store: anomalies left out of the batch because they cannot be stored',
    );
  return rows;
}

/**
 * What setAnomalyContextAfter writes per anomaly: the id cleaned and the lines as a JSON array, the
 * first `keep` of them, cleaned like the lines before.
 */
export function contextAfterParams(e: AnomalyContextAfter, keep: number): { id: string; lines: string } {
  return { id: cleanText(e.id), lines: JSON.stringify(cleanJson(e.lines.slice(0, keep))) };
}

function nearestContext(context: AnomalyRecord['context'], timeMs: number, keep: number): AnomalyRecord['context'] {
  if (context.length <= keep) return context;
  // A line without a valid time ranks last rather than making the sort inconsistent.
  const distance = (t: string) => {
    const d = Math.abs(Date.parse(t) - timeMs);
    return Number.isNaN(d) ? Infinity : d;
  };
  const indexed = context.map((line, i) => ({ line, i, d: distance(line.time) }));
  indexed.sort((x, y) => x.d - y.d || x.i - y.i);
  return indexed
    .slice(0, keep)
    .sort((x, y) => x.i - y.i)
    .map((x) => x.line);
}

export function fromRow(row: AnomalyRow): Anomaly {
  const a: Anomaly = {
    id: row.id,
    time: new Date(Number(row.time_ms)).toISOString(),
    service: row.service,
    templateId: row.template_id,
    template: row.template,
    message: row.message,
    score: Number(row.score),
    detector: row.detector,
    reason: row.reason,
    suppressed: row.suppressed === true || row.suppressed === 1,
  };
  if (row.session_id !== null) a.sessionId = row.session_id;
  if (row.severity_text !== null) a.severityText = row.severity_text;
  return a;
}

export function fromDetailRow(row: AnomalyRow): AnomalyRecord {
  const detail = (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Pick<
    AnomalyRecord,
    'attributes' | 'context' | 'explanation'
  >;
  return { ...fromRow(row), ...detail };
}

/** The range of a JavaScript Date (±100,000,000 days around 1970). */
const MAX_TIME_MS = 8.64e15;

/**
 * `from`/`to` of the API: ISO time or epoch milliseconds. Values outside a Date's range are refused
 * (PostgreSQL's BIGINT column would reject them with a less helpful error).
 */
export function parseQueryTime(value: string, key: string): number {
  const ms = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_MS)
    throw new StoreQueryError(`${key} "${value}" is neither an ISO time nor epoch milliseconds`);
  return ms;
}

/**
 * WHERE and ORDER BY for an anomaly query. `param` registers a value and returns its placeholder
 * (`?` for SQLite, `$n` for PostgreSQL). Ties are broken by id so paging is stable.
 */
export function anomalyFilter(q: AnomalyQuery, param: (v: unknown) => string): { where: string; order: string } {
  const conds: string[] = [];
  // Stored times are whole milliseconds: a fractional bound rounds inwards (PostgreSQL compares
  // BIGINT with an integer parameter only).
  if (q.from !== undefined) conds.push(`time_ms >= ${param(Math.ceil(parseQueryTime(q.from, 'from')))}`);
  if (q.to !== undefined) conds.push(`time_ms <= ${param(Math.floor(parseQueryTime(q.to, 'to')))}`);
  if (q.service !== undefined) conds.push(`service = ${param(cleanText(q.service))}`);
  if (q.detector !== undefined) conds.push(`detector = ${param(cleanText(q.detector))}`);
  if (q.templateId !== undefined) conds.push(`template_id = ${param(cleanText(q.templateId))}`);
  if (q.minScore !== undefined) conds.push(`score >= ${param(q.minScore)}`);
  const column = q.sort === 'score' ? 'score' : 'time_ms';
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  return {
    where: conds.length ? ` WHERE ${conds.join(' AND ')}` : '',
    order: ` ORDER BY ${column} ${dir}, id ${dir}`,
  };
}

export function pageOf(q: AnomalyQuery): { limit: number; offset: number } {
  return { limit: Math.min(Math.max(q.limit ?? 100, 1), 1000), offset: Math.max(q.offset ?? 0, 0) };
}

/** suppressAnomalies filter → WHERE; an empty filter would suppress everything, so it throws. */
export function suppressFilter(
  filter: { id?: string; service?: string; templateId?: string },
  param: (v: unknown) => string,
): string {
  const conds: string[] = [];
  if (filter.id !== undefined) conds.push(`id = ${param(cleanText(filter.id))}`);
  if (filter.service !== undefined) conds.push(`service = ${param(cleanText(filter.service))}`);
  if (filter.templateId !== undefined) conds.push(`template_id = ${param(cleanText(filter.templateId))}`);
  if (!conds.length) throw new StoreQueryError('suppressAnomalies needs an id, a service or a templateId');
  return conds.join(' AND ');
}

export interface ModelRow {
  service: string;
  version: number;
  created_at: string;
  trained_from: string;
  trained_to: string;
  records: number;
  detectors: string | string[];
  metrics: string | Record<string, number>;
  active: number | boolean;
}

export const MODEL_COLUMNS =
  'service, version, created_at, trained_from, trained_to, records, detectors, metrics, active';

export function modelFromRow(row: ModelRow): ModelVersion {
  const json = <T>(v: string | T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  return {
    version: Number(row.version),
    service: row.service,
    createdAt: row.created_at,
    trainedFrom: row.trained_from,
    trainedTo: row.trained_to,
    records: Number(row.records),
    detectors: json(row.detectors) as ModelVersion['detectors'],
    metrics: json(row.metrics),
    active: row.active === true || row.active === 1,
  };
}

/** Feedback as stored: text cleaned like anomalies (a NUL in a comment must not fail on PostgreSQL). */
export function feedbackParams(f: Feedback & { time: string }): (string | null)[] {
  const opt = (v: string | undefined) => (v === undefined ? null : cleanText(v));
  return [cleanText(f.time), cleanText(f.service), f.kind, opt(f.anomalyId), opt(f.templateId), opt(f.comment)];
}

/**
 * Model metrics as stored: JSON has no NaN or Infinity (they would come back as null, which the API
 * schema refuses), and a metric like precision is NaN when a validation set has no positives. Those
 * entries are left out, in what is stored and in what saveModel returns.
 */
export function finiteMetrics(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(metrics ?? {}).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)),
  );
}

/** A feedback row read back: its nullable columns become absent fields. */
export interface FeedbackColumns {
  time: string;
  service: string;
  kind: Feedback['kind'];
  anomaly_id: string | null;
  template_id: string | null;
  comment: string | null;
}

export function feedbackFromRow(r: FeedbackColumns): Feedback & { time: string } {
  const f: Feedback & { time: string } = { kind: r.kind, service: r.service, time: r.time };
  if (r.anomaly_id !== null) f.anomalyId = r.anomaly_id;
  if (r.template_id !== null) f.templateId = r.template_id;
  if (r.comment !== null) f.comment = r.comment;
  return f;
}
