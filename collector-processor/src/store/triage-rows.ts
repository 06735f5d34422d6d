import type {
  AggregateAnswer,
  AggregateBucket,
  AggregateQuery,
  Incident,
  IncidentQuery,
  IncidentStatus,
  Suppression,
} from '@anomalog/shared';
import { parseQueryTime } from './rows';
import type { AnomalyRecord } from './store';

/** Row shapes, batch grouping and the histogram arithmetic both triage backends share. */

export const INCIDENT_COLUMNS =
  'id, service, group_key, template_id, template, session_id, first_ms, last_ms, count, peak_score, detectors, status, sample_message';

export interface IncidentRow {
  id: string;
  service: string;
  group_key: string;
  template_id: string;
  template: string;
  session_id: string | null;
  first_ms: number | string;
  last_ms: number | string;
  count: number | string;
  peak_score: number;
  detectors: string;
  status: string;
  sample_message: string;
}

export function incidentFromRow(r: IncidentRow): Incident {
  return {
    id: r.id,
    service: r.service,
    groupKey: r.group_key,
    templateId: r.template_id,
    template: r.template,
    ...(r.session_id !== null ? { sessionId: r.session_id } : {}),
    firstSeen: new Date(Number(r.first_ms)).toISOString(),
    lastSeen: new Date(Number(r.last_ms)).toISOString(),
    count: Number(r.count),
    peakScore: r.peak_score,
    detectors: JSON.parse(r.detectors) as string[],
    status: r.status as IncidentStatus,
    sampleMessage: r.sample_message,
  };
}

/** Session and window verdicts (detector `lof/session`, …) group by session; record verdicts by template. */
export function groupKeyOf(a: AnomalyRecord): string {
  return a.sessionId !== undefined && a.detector.includes('/') ? `session:${a.sessionId}` : `template:${a.templateId}`;
}

/** Consecutive anomalies of one service and group key in a batch, each at most the gap after the one before. */
export interface IncidentRun {
  service: string;
  groupKey: string;
  templateId: string;
  template: string;
  sessionId: string | null;
  firstMs: number;
  lastMs: number;
  peakScore: number;
  detectors: Set<string>;
  sampleMessage: string;
  anomalyIds: string[];
}

export function incidentRuns(anomalies: readonly AnomalyRecord[], gapMs: number): IncidentRun[] {
  const sorted = anomalies
    .map((a) => ({ a, ms: Date.parse(a.time) }))
    .filter((x) => Number.isFinite(x.ms))
    .sort((x, y) => x.ms - y.ms);
  const open = new Map<string, IncidentRun>();
  const runs: IncidentRun[] = [];
  for (const { a, ms } of sorted) {
    const groupKey = groupKeyOf(a);
    const key = `${a.service}\u0000${groupKey}`;
    let run = open.get(key);
    if (!run || ms - run.lastMs > gapMs) {
      run = {
        service: a.service,
        groupKey,
        templateId: a.templateId,
        template: a.template,
        sessionId: a.sessionId ?? null,
        firstMs: ms,
        lastMs: ms,
        peakScore: a.score,
        detectors: new Set(),
        sampleMessage: a.message,
        anomalyIds: [],
      };
      open.set(key, run);
      runs.push(run);
    }
    run.lastMs = ms;
    run.peakScore = Math.max(run.peakScore, a.score);
    run.detectors.add(a.detector);
    run.anomalyIds.push(a.id);
  }
  return runs;
}

export function mergedDetectors(stored: string, added: Set<string>): string {
  const all = new Set(JSON.parse(stored) as string[]);
  for (const d of added) all.add(d);
  return JSON.stringify([...all].sort());
}

/** WHERE clause of an incident list; `param` returns the placeholder of a bound value. */
export function incidentFilter(q: IncidentQuery, param: (v: unknown) => string): string {
  const where: string[] = [];
  if (q.from !== undefined) where.push(`last_ms >= ${param(Math.ceil(parseQueryTime(q.from, 'from')))}`);
  if (q.to !== undefined) where.push(`first_ms <= ${param(Math.floor(parseQueryTime(q.to, 'to')))}`);
  if (q.service !== undefined) where.push(`service = ${param(q.service)}`);
  if (q.status !== undefined) where.push(`status = ${param(q.status)}`);
  return where.length ? ` WHERE ${where.join(' AND ')}` : '';
}

export const MAX_BUCKETS = 1000;
/** Score histogram bins per bucket: quantiles to 0.01. */
export const SCORE_BINS = 100;

export interface AggregatePlan {
  fromMs: number;
  toMs: number;
  stepMs: number;
  where: string;
}

/** Range, step (widened to at most MAX_BUCKETS buckets) and filter of an aggregate query. */
export function aggregatePlan(q: AggregateQuery, param: (v: unknown) => string): AggregatePlan {
  const fromMs = Math.floor(parseQueryTime(q.from, 'from'));
  const toMs = Math.max(fromMs, Math.floor(parseQueryTime(q.to, 'to')));
  const span = toMs - fromMs + 1;
  const stepMs = Math.max(q.stepMs ?? 60_000, Math.ceil(span / MAX_BUCKETS), 1000);
  const where = [`time_ms >= ${param(fromMs)}`, `time_ms <= ${param(toMs)}`];
  if (q.service !== undefined) where.push(`service = ${param(q.service)}`);
  if (q.detector !== undefined) where.push(`detector = ${param(q.detector)}`);
  if (q.excludeSuppressed) where.push('NOT suppressed');
  return { fromMs, toMs, stepMs, where: ` WHERE ${where.join(' AND ')}` };
}

export interface HistogramRow {
  b: number | string;
  service: string;
  detector: string;
  bin: number | string;
  n: number | string;
  mx: number;
}

/** Quantiles from the per-bin counts of each (bucket, service, detector). */
export function bucketsOf(plan: AggregatePlan, rows: readonly HistogramRow[]): AggregateAnswer {
  const groups = new Map<string, { t: number; service: string; detector: string; bins: Float64Array; max: number }>();
  for (const r of rows) {
    const t = plan.fromMs + Number(r.b) * plan.stepMs;
    const key = `${t}\u0000${r.service}\u0000${r.detector}`;
    let g = groups.get(key);
    if (!g)
      groups.set(
        key,
        (g = { t, service: r.service, detector: r.detector, bins: new Float64Array(SCORE_BINS + 1), max: -Infinity }),
      );
    g.bins[Math.min(SCORE_BINS, Math.max(0, Number(r.bin)))] += Number(r.n);
    g.max = Math.max(g.max, r.mx);
  }
  const buckets: AggregateBucket[] = [];
  for (const g of groups.values()) {
    let count = 0;
    for (const n of g.bins) count += n;
    const q = (p: number): number => {
      const rank = Math.max(1, Math.ceil(p * count));
      let seen = 0;
      for (let i = 0; i <= SCORE_BINS; i++) {
        seen += g.bins[i];
        if (seen >= rank) return Math.min((i + 1) / SCORE_BINS, g.max);
      }
      return g.max;
    };
    buckets.push({
      t: g.t,
      service: g.service,
      detector: g.detector,
      count,
      p50: q(0.5),
      p90: q(0.9),
      p99: q(0.99),
      max: g.max,
    });
  }
  buckets.sort((x, y) => x.t - y.t || x.service.localeCompare(y.service) || x.detector.localeCompare(y.detector));
  return { from: plan.fromMs, to: plan.toMs, stepMs: plan.stepMs, buckets };
}

export interface SuppressionRow {
  id: string;
  service: string;
  template_id: string;
  template: string | null;
  detector: string | null;
  created_ms: number | string;
  expires_ms: number | string | null;
  comment: string | null;
  incident_id: string | null;
}

export const SUPPRESSION_COLUMNS =
  'id, service, template_id, template, detector, created_ms, expires_ms, comment, incident_id';

export function suppressionFromRow(r: SuppressionRow): Suppression {
  return {
    id: r.id,
    service: r.service,
    templateId: r.template_id,
    ...(r.template !== null ? { template: r.template } : {}),
    ...(r.detector !== null ? { detector: r.detector } : {}),
    createdAt: new Date(Number(r.created_ms)).toISOString(),
    ...(r.expires_ms !== null ? { expiresAt: new Date(Number(r.expires_ms)).toISOString() } : {}),
    ...(r.comment !== null ? { comment: r.comment } : {}),
    ...(r.incident_id !== null ? { incidentId: r.incident_id } : {}),
  };
}

export function suppressionParams(s: Suppression): unknown[] {
  return [
    s.id,
    s.service,
    s.templateId,
    s.template ?? null,
    s.detector ?? null,
    Date.parse(s.createdAt),
    s.expiresAt !== undefined ? Date.parse(s.expiresAt) : null,
    s.comment ?? null,
    s.incidentId ?? null,
  ];
}

/** Parameters of a new incident's INSERT (INCIDENT_COLUMNS but status, which starts 'open'), in both backends. */
export function newIncidentParams(id: string, run: IncidentRun, added: number): unknown[] {
  return [
    id,
    run.service,
    run.groupKey,
    run.templateId,
    run.template,
    run.sessionId,
    run.firstMs,
    run.lastMs,
    added,
    run.peakScore,
    JSON.stringify([...run.detectors].sort()),
    run.sampleMessage,
  ];
}

/** Parameters of an open incident's UPDATE by a run: first, last, added count, peak, detectors, id. */
export function incidentUpdateParams(id: string, run: IncidentRun, added: number, detectors: string): unknown[] {
  return [run.firstMs, run.lastMs, added, run.peakScore, mergedDetectors(detectors, run.detectors), id];
}
