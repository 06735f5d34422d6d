/**
 * The detect stage of the annotation chain: for every record the parse stage gave a template,
 * its service's model scores it (or, while the service learns, it passes marked unscored); the
 * verdict lands in the batch's Verdicts for the attributes stage, anomalies go to the Store with
 * their context and explanation. Records are scored a service at a time, one matrix per batch.
 */
import { UNSEEN_DETECTOR, type AnomalyDetail } from '@anomalog/shared';
import { forEachRecord, type AnnotationStage, type LogBatch } from './stage';
import { SCORED, UNSCORED, type Parsed, type Verdicts } from './outputs';
import type { KeyValue, LogRecord } from '../otlp/types';
import type { AnomalyWriter } from '../store/anomalies';
import type { DetectionMetrics } from '../telemetry/detection-metrics';
import type { Logger } from '../telemetry/logger';
import { anomalyQueue, type IncidentGrouping } from './anomaly-queue';
import { suppressedReason, type LiveSuppressions } from './suppressions';
import { NearestTemplates } from './nearest-templates';
import { ContextRing } from '../model/context-ring';
import { AfterContext } from './after-context';
import type { ScoringLifecycle } from '../lifecycle/scoring';
import * as recordVector from '../model/record-vector';
import { groupAnomalyDetail } from '../model/group-anomaly';
import type { GroupAnomaly } from '../model/group-model';
import type { ServiceModel, Verdict } from '../model/service-model';
import type { ServiceState } from '../lifecycle/service-state';
import { rowId } from '../util/row-id';

// Bound once (see logs-decode.ts): a named import is a getter call per use in CommonJS (tsx and dist/ alike).
const { RECORD_DIMS, writeRecordVector } = recordVector;

export interface DetectStageOptions {
  manager: ScoringLifecycle;
  store: AnomalyWriter;
  logger: Logger;
  metrics?: DetectionMetrics;
  /** Lines kept before an anomaly as its context. */
  contextLines: number;
  /** Lines kept after it (written to the stored anomaly once there); unset: none. */
  contextLinesAfter?: number;
  /** How long an anomaly waits for its lines after; unset: 30 s. */
  contextAfterWaitMs?: number;
  /** Anomalies waiting for their lines after at once; unset: 10,000. */
  maxAfterWatches?: number;
  /** Longest context line kept (longer ones are cut); unset: 2,048 code units. */
  contextLineMaxChars?: number;
  /** Bytes all services' context lines hold together; unset: 64 MiB. */
  contextMaxBytes?: number;
  /** Services whose context is kept at once (the least recently created goes first); unset: 1,000. */
  maxServices?: number;
  /** Bounds of the anomalies waiting for the store (anomaly-queue.ts). */
  maxPendingAnomalies?: number;
  maxPendingAnomalyBytes?: number;
  /** Template text by id (the miner's), for reasons that name expected templates. */
  templateText?: (templateId: string) => string | undefined;
  /** Verdicts users muted ("mark normal"); checked only for a flagged record. */
  suppressions?: LiveSuppressions;
  /** Groups stored anomalies into incidents. */
  incidents?: IncidentGrouping;
}

export interface DetectStage extends AnnotationStage {
  /** Resolves when every anomaly accepted so far is written to the store. */
  flush(): Promise<void>;
}

/**
 * The records of one service in a batch, scored together: positions in the batch (the index of
 * their parse output and verdict), the records, and their token counts, as flat arrays rather than
 * an object per record.
 */
interface Group {
  model: ServiceModel;
  index: number[];
  records: LogRecord[];
  tokens: number[];
}

export function createDetectStage(o: DetectStageOptions): DetectStage {
  const contexts = new Map<string, ContextRing>();
  let scratch = new Float64Array(1024 * RECORD_DIMS);
  const queue = anomalyQueue(o);
  const after = new AfterContext({
    lines: o.contextLinesAfter ?? 0,
    waitMs: o.contextAfterWaitMs ?? 30_000,
    maxPending: o.maxAfterWatches ?? 10_000,
    write: (done) => queue.pushAfter(done),
  });
  // Lines after an anomaly also come (or stop coming) between batches: the wait is checked on a clock.
  const afterClock = (o.contextLinesAfter ?? 0) > 0 ? setInterval(() => after.check(Date.now()), 1000) : undefined;
  afterClock?.unref();
  const suppressions = o.suppressions;
  const nearest = new NearestTemplates();
  const verdict: Verdict = { score: 0, isAnomaly: false, detector: '', reason: '', member: -1 };
  /** Sessions and windows that closed flagged while a group was scored (reused, emptied per group). */
  const closedGroups: GroupAnomaly[] = [];

  const expectedOf = (top: { templateId: string; probability: number }[]) =>
    top.map((e) => ({ ...e, template: o.templateText?.(e.templateId) ?? e.templateId }));

  const contextServices = o.maxServices ?? 1000;
  // One budget split evenly: the rings of all services together never pass contextMaxBytes.
  const ringLimits = {
    lineCount: o.contextLines,
    afterCount: o.contextLinesAfter ?? 0,
    maxLineChars: o.contextLineMaxChars ?? 2048,
    maxBytes: Math.floor((o.contextMaxBytes ?? 64 * 1024 * 1024) / contextServices),
  };
  const contextOf = (service: string): ContextRing => {
    let c = contexts.get(service);
    if (!c) {
      if (contexts.size >= contextServices) contexts.delete(contexts.keys().next().value as string);
      contexts.set(service, (c = new ContextRing(ringLimits)));
    }
    return c;
  };

  /** One service's records of a batch, as process() below grouped them. */
  const scoreGroup = (
    s: ServiceState,
    group: Group,
    parsed: Parsed,
    out: Verdicts,
    anomalies: AnomalyDetail[],
  ): void => {
    const model = group.model;
    const rows = group.index.length;
    if (scratch.length < rows * RECORD_DIMS) scratch = new Float64Array(rows * RECORD_DIMS * 2);
    const m = { data: scratch.subarray(0, rows * RECORD_DIMS), rows, cols: RECORD_DIMS };
    for (let r = 0; r < rows; r++) {
      const i = group.index[r];
      writeRecordVector(
        scratch,
        r * RECORD_DIMS,
        model.freq,
        parsed.templateId[i],
        parsed.severityNumber[i],
        group.tokens[r],
      );
    }
    const scores = model.scoreMatrix(m);
    const ctx = contextOf(s.name);
    // The service's series once per group: per record only a bucket search and a few additions.
    const scoreHistogram = o.metrics?.score.series({ service: o.metrics.service(s.name) });
    let found = 0;
    for (let r = 0; r < rows; r++) {
      const i = group.index[r];
      const templateId = parsed.templateId[i];
      const timeMs = parsed.timeMs[i];
      const severityNumber = parsed.severityNumber[i];
      const sessionId = out.sessionId[i];
      model.decide(scores, rows, r, templateId, severityNumber, verdict);
      let flagged: string | undefined;
      const sequenceReason =
        sessionId !== undefined
          ? model.decideSequence(
              sessionId,
              templateId,
              verdict,
              o.templateText,
              timeMs,
              s.config.sessionKey.inactivitySeconds * 1000,
            )
          : undefined;
      const muted =
        verdict.isAnomaly && suppressions !== undefined && suppressions.size > 0
          ? suppressions.match(s.name, templateId, verdict.detector, Date.now())
          : undefined;
      if (muted) verdict.isAnomaly = false;
      out.kind[i] = SCORED;
      out.score[i] = verdict.score;
      out.anomalous[i] = verdict.isAnomaly ? 1 : 0;
      out.detector[i] = verdict.detector;
      if (muted) out.reason[i] = suppressedReason(muted, verdict.detector);
      scoreHistogram?.observe(verdict.score);
      if (verdict.isAnomaly) {
        const reason = sequenceReason ?? model.reason(m, r, templateId, verdict);
        out.reason[i] = reason;
        found++;
        o.metrics?.anomalies.inc({
          service: o.metrics.service(s.name),
          detector: verdict.detector,
          template_id: templateId,
        });
        const a = anomalyOf(group.records[r], parsed, i, sessionId, reason, verdict, ctx);
        if (sequenceReason !== undefined && model.lastExpected) a.explanation.expected = expectedOf(model.lastExpected);
        else if (verdict.detector === UNSEEN_DETECTOR && o.templateText)
          a.explanation.nearest = nearest.of(model.freq.counts, templateId, a.template, o.templateText);
        anomalies.push(a);
        flagged = a.id;
      }
      ctx.push(timeMs, templateId, parsed.message[i], verdict.isAnomaly, sessionId);
      if (flagged !== undefined) after.watch(flagged, ctx, sessionId, Date.now());
      o.manager.observe(s, templateId, severityNumber, sessionId, timeMs, group.tokens[r], verdict.isAnomaly);
      model.groups?.observe(s.name, sessionId, templateId, timeMs, closedGroups);
    }
    o.metrics?.recordsScored.inc({ service: o.metrics.service(s.name), outcome: 'scored' }, rows);
    for (const g of closedGroups.splice(0)) {
      const a = groupAnomalyDetail(s.name, g, ctx, o.templateText);
      if (suppressions?.match(s.name, a.templateId, a.detector, Date.now())) continue;
      found++;
      o.metrics?.anomalies.inc({ service: o.metrics.service(s.name), detector: a.detector, template_id: a.templateId });
      anomalies.push(a);
    }
    if (found > 0) o.manager.anomaliesFound(s, found);
  };

  /**
   * A service seen for the first time (or after a restart, or on another replica) has its stored
   * model read before its first batch is scored: a DB read of milliseconds, not a record unscored.
   */
  const restored = async (parsed: Parsed): Promise<void> => {
    let pending: Promise<void>[] | undefined;
    let last: string | undefined;
    for (let i = 0; i < parsed.size; i++) {
      const service = parsed.service[i];
      if (parsed.has[i] === 0 || service === last) continue;
      last = service;
      const restoring = o.manager.state(service)?.restoring;
      if (restoring) (pending ??= []).push(restoring);
    }
    if (pending) await Promise.all(pending);
  };

  return {
    name: 'detect',
    async process(batch: LogBatch): Promise<void> {
      const groups = new Map<ServiceState, Group>();
      /** Services whose records passed unscored (learning, restoring): their training may be due. */
      let learning: Set<ServiceState> | undefined;
      const { parsed, verdicts } = batch;
      const unscored = new Map<string, number>();
      await restored(parsed);
      forEachRecord(batch.data, (record, resource, _scope, index) => {
        if (parsed.has[index] === 0) return;
        const service = parsed.service[index];
        const message = parsed.message[index];
        if (parsed.newTemplate[index] === 1) o.metrics?.templatesNew.inc({ service: o.metrics.service(service) });
        const s = o.manager.state(service);
        const sessionId = s ? s.sessionOf(record, resource, message) : undefined;
        verdicts.sessionId[index] = sessionId;
        const counted = parsed.tokens[index];
        const tokens = counted >= 0 ? counted : tokenCount(message);
        if (!s || !s.model || s.restoring) {
          verdicts.kind[index] = UNSCORED;
          // counted per service after the loop: a labelled inc per record costs a lookup and an object
          if (o.metrics) unscored.set(service, (unscored.get(service) ?? 0) + 1);
          if (s) {
            const templateId = parsed.templateId[index];
            const timeMs = parsed.timeMs[index];
            contextOf(s.name).push(timeMs, templateId, message, false, sessionId);
            o.manager.observe(s, templateId, parsed.severityNumber[index], sessionId, timeMs, tokens, false);
            (learning ??= new Set()).add(s);
          }
          return;
        }
        let group = groups.get(s);
        if (!group) groups.set(s, (group = { model: s.model, index: [], records: [], tokens: [] }));
        group.index.push(index);
        group.records.push(record);
        group.tokens.push(tokens);
      });
      for (const [service, n] of unscored)
        o.metrics?.recordsScored.inc({ service: o.metrics.service(service), outcome: 'unscored' }, n);
      const anomalies: AnomalyDetail[] = [];
      for (const [s, group] of groups) scoreGroup(s, group, parsed, verdicts, anomalies);
      if (anomalies.length) queue.push(anomalies);
      after.check(Date.now());
      for (const s of groups.keys()) o.manager.observed(s);
      if (learning) for (const s of learning) o.manager.observed(s);
    },
    flush: () => queue.drained(),
    async close() {
      clearInterval(afterClock);
      after.flush();
      await queue.drained();
      await o.manager.idle();
    },
  };
}

function anomalyOf(
  record: LogRecord,
  parsed: Parsed,
  i: number,
  sessionId: string | undefined,
  reason: string,
  v: Verdict,
  ctx: ContextRing,
): AnomalyDetail {
  return {
    id: rowId(),
    time: new Date(parsed.timeMs[i]).toISOString(),
    service: parsed.service[i],
    templateId: parsed.templateId[i],
    template: parsed.template[i],
    message: parsed.message[i],
    score: v.score,
    detector: v.detector,
    reason,
    sessionId,
    severityText: record.severityText || undefined,
    suppressed: false,
    attributes: attributesOf(record.attributes),
    context: ctx.lines(sessionId),
    explanation: { reason },
  };
}

/** Whitespace-separated tokens, counted without splitting (no allocation). */
export function tokenCount(s: string): number {
  let n = 0;
  let inToken = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const space = c === 32 || c === 9 || c === 10 || c === 13;
    if (!space && !inToken) n++;
    inToken = !space;
  }
  return n;
}

function attributesOf(attrs: readonly KeyValue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of attrs) {
    const v = kv.value;
    out[kv.key] =
      v.stringValue ?? v.boolValue ?? v.doubleValue ?? (v.intValue !== undefined ? v.intValue.toString() : null);
  }
  return out;
}
