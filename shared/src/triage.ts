import { Type, type Static } from '@sinclair/typebox';
import { Anomaly } from './api';

/**
 * Triage: anomalies grouped into incidents, server-side aggregates for timelines, and suppressions
 * ("mark normal" that takes effect in the live chain). Served under /api/v1 beside api.ts.
 */

export const IncidentStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('acknowledged'),
  Type.Literal('resolved'),
  Type.Literal('normal'),
]);
export type IncidentStatus = Static<typeof IncidentStatus>;

export const Incident = Type.Object({
  id: Type.String(),
  service: Type.String(),
  /** What groups its anomalies: `template:<id>` (record detectors) or `session:<id>` (session/window ones). */
  groupKey: Type.String(),
  templateId: Type.String(),
  template: Type.String(),
  sessionId: Type.Optional(Type.String()),
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  count: Type.Integer(),
  peakScore: Type.Number(),
  detectors: Type.Array(Type.String()),
  status: IncidentStatus,
  /** One anomaly of it (the first), for a quick look without opening the incident. */
  sampleMessage: Type.String(),
});
export type Incident = Static<typeof Incident>;

export const IncidentQuery = Type.Object({
  from: Type.Optional(Type.String({ description: 'ISO time or epoch ms: incidents last seen at or after it' })),
  to: Type.Optional(Type.String({ description: 'incidents first seen at or before it' })),
  service: Type.Optional(Type.String()),
  status: Type.Optional(IncidentStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export type IncidentQuery = Static<typeof IncidentQuery>;

export const IncidentPage = Type.Object({ total: Type.Integer(), items: Type.Array(Incident) });
export type IncidentPage = Static<typeof IncidentPage>;

export const Suppression = Type.Object({
  id: Type.String(),
  service: Type.String(),
  templateId: Type.String(),
  template: Type.Optional(Type.String()),
  /** Only this detector's verdicts; absent: every detector's. */
  detector: Type.Optional(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  /** Absent: until deleted. */
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  comment: Type.Optional(Type.String()),
  /** The incident it was created from, if any. */
  incidentId: Type.Optional(Type.String()),
});
export type Suppression = Static<typeof Suppression>;

export const IncidentDetail = Type.Composite([
  Incident,
  Type.Object({
    /** Its anomalies, newest first (at most `recordsLimit`; `count` says how many there were). */
    records: Type.Array(Anomaly),
    /** Suppressions created from it (mark normal), active or expired. */
    suppressions: Type.Array(Suppression),
  }),
]);

export type IncidentDetail = Static<typeof IncidentDetail>;

export const IncidentStatusChange = Type.Object({ status: IncidentStatus });
export type IncidentStatusChange = Static<typeof IncidentStatusChange>;

export const AggregateQuery = Type.Object({
  from: Type.String({ description: 'ISO time or epoch ms (inclusive)' }),
  to: Type.String({ description: 'ISO time or epoch ms (inclusive)' }),
  /** Bucket width; the server widens it so that the range has at most 1,000 buckets. */
  stepMs: Type.Optional(Type.Integer({ minimum: 1000 })),
  service: Type.Optional(Type.String()),
  detector: Type.Optional(Type.String()),
  /** Leave suppressed anomalies out. */
  excludeSuppressed: Type.Optional(Type.Boolean()),
});
export type AggregateQuery = Static<typeof AggregateQuery>;

export const AggregateBucket = Type.Object({
  /** Bucket start, epoch ms. */
  t: Type.Integer(),
  service: Type.String(),
  detector: Type.String(),
  count: Type.Integer(),
  /** Score quantiles over the bucket's anomalies, to 0.01 (from a 100-bin histogram). */
  p50: Type.Number(),
  p90: Type.Number(),
  p99: Type.Number(),
  max: Type.Number(),
});
export type AggregateBucket = Static<typeof AggregateBucket>;

export const AggregateAnswer = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  stepMs: Type.Integer(),
  buckets: Type.Array(AggregateBucket),
});
export type AggregateAnswer = Static<typeof AggregateAnswer>;

export const SuppressionRequest = Type.Object({
  service: Type.String({ minLength: 1 }),
  templateId: Type.String({ minLength: 1 }),
  detector: Type.Optional(Type.String({ minLength: 1 })),
  /** Mute for this long; absent: until deleted. */
  durationS: Type.Optional(Type.Integer({ minimum: 60 })),
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
  incidentId: Type.Optional(Type.String()),
  /** An anomaly marked normal by it: stored as feedback, so the next retrain learns it as normal. */
  anomalyId: Type.Optional(Type.String()),
});
export type SuppressionRequest = Static<typeof SuppressionRequest>;
