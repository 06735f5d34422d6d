import { Type, type Static } from '@sinclair/typebox';
import { DetectorName, ModelConfig } from './config/model';

/**
 * The processor's HTTP API contract (served under /api/v1, described at /openapi.json). The Grafana
 * app is built against these schemas; the processor validates with them.
 */
export const API_PREFIX = '/api/v1';

export const ModelStatus = Type.Union([
  Type.Literal('learning'),
  Type.Literal('training'),
  Type.Literal('scoring'),
  Type.Literal('error'),
]);
export type ModelStatus = Static<typeof ModelStatus>;

export const ServiceSummary = Type.Object({
  service: Type.String(),
  status: ModelStatus,
  recordsSeen: Type.Integer(),
  templates: Type.Integer(),
  anomalies: Type.Integer(),
  activeVersion: Type.Optional(Type.Integer()),
  learningProgress: Type.Number({ minimum: 0, maximum: 1 }),
  lastError: Type.Optional(Type.String()),
});
export type ServiceSummary = Static<typeof ServiceSummary>;

export const ModelVersion = Type.Object({
  version: Type.Integer(),
  service: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  trainedFrom: Type.String({ format: 'date-time' }),
  trainedTo: Type.String({ format: 'date-time' }),
  records: Type.Integer(),
  detectors: Type.Array(DetectorName),
  metrics: Type.Record(Type.String(), Type.Number()),
  active: Type.Boolean(),
});
export type ModelVersion = Static<typeof ModelVersion>;

export const TrainingJob = Type.Object({
  id: Type.String(),
  service: Type.String(),
  state: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  message: Type.Optional(Type.String()),
  version: Type.Optional(Type.Integer()),
});
export type TrainingJob = Static<typeof TrainingJob>;

export const Anomaly = Type.Object({
  id: Type.String(),
  time: Type.String({ format: 'date-time' }),
  service: Type.String(),
  templateId: Type.String(),
  template: Type.String(),
  message: Type.String(),
  score: Type.Number(),
  detector: Type.String(),
  reason: Type.String(),
  sessionId: Type.Optional(Type.String()),
  severityText: Type.Optional(Type.String()),
  suppressed: Type.Boolean(),
});
export type Anomaly = Static<typeof Anomaly>;

export const ContextLine = Type.Object({
  time: Type.String({ format: 'date-time' }),
  templateId: Type.String(),
  message: Type.String(),
  isAnomaly: Type.Boolean(),
});

export const NearTemplate = Type.Object({
  templateId: Type.String(),
  template: Type.String(),
  similarity: Type.Number({ minimum: 0, maximum: 1 }),
});
export type NearTemplate = Static<typeof NearTemplate>;

export const CountDeviation = Type.Object({
  templateId: Type.String(),
  template: Type.String(),
  /** The template's count in the anomalous session or window. */
  actual: Type.Number(),
  /** Its mean count over the training groups. */
  mean: Type.Number(),
  /** 5th and 95th percentile of its count over the training groups. */
  low: Type.Number(),
  high: Type.Number(),
});
export type CountDeviation = Static<typeof CountDeviation>;

export const AnomalyDetail = Type.Composite([
  Anomaly,
  Type.Object({
    attributes: Type.Record(Type.String(), Type.Unknown()),
    /** Lines before the record (of its session when it has one), oldest first. */
    context: Type.Array(ContextLine),
    /**
     * Lines after the record, oldest first; absent until they arrived or the wait passed
     * (store.retention.contextAfterWaitSeconds).
     */
    contextAfter: Type.Optional(Type.Array(ContextLine)),
    explanation: Type.Object({
      reason: Type.String(),
      features: Type.Optional(Type.Array(Type.Object({ name: Type.String(), weight: Type.Number() }))),
      /** LSTM: the top expected next templates, most probable first (the actual one is the anomaly's). */
      expected: Type.Optional(
        Type.Array(Type.Object({ templateId: Type.String(), template: Type.String(), probability: Type.Number() })),
      ),
      /** Unseen template: the service's known templates nearest to it (token overlap, 0..1). */
      nearest: Type.Optional(Type.Array(NearTemplate)),
      /**
       * Session/window count models: the templates whose count in the group lies outside the range
       * seen in training (the 5th to 95th percentile of the training groups), furthest out first.
       */
      counts: Type.Optional(Type.Array(CountDeviation)),
    }),
  }),
]);
export type AnomalyDetail = Static<typeof AnomalyDetail>;

export const AnomalyQuery = Type.Object({
  from: Type.Optional(Type.String({ description: 'ISO time or epoch ms' })),
  to: Type.Optional(Type.String()),
  service: Type.Optional(Type.String()),
  detector: Type.Optional(Type.String()),
  templateId: Type.Optional(Type.String()),
  minScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  sort: Type.Optional(Type.Union([Type.Literal('time'), Type.Literal('score')])),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export type AnomalyQuery = Static<typeof AnomalyQuery>;

export const AnomalyPage = Type.Object({ total: Type.Integer(), items: Type.Array(Anomaly) });
export type AnomalyPage = Static<typeof AnomalyPage>;

export const TemplateInfo = Type.Object({
  service: Type.String(),
  templateId: Type.String(),
  template: Type.String(),
  count: Type.Integer(),
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  suppressed: Type.Boolean(),
});
export type TemplateInfo = Static<typeof TemplateInfo>;

export const Feedback = Type.Object({
  kind: Type.Union([Type.Literal('anomaly-normal'), Type.Literal('template-normal')]),
  service: Type.String(),
  anomalyId: Type.Optional(Type.String()),
  templateId: Type.Optional(Type.String()),
  comment: Type.Optional(Type.String()),
});
export type Feedback = Static<typeof Feedback>;

/** A run's name as a user gives it, to tell runs apart later (optional; the dataset otherwise). */
const BenchmarkName = Type.String({ minLength: 1, maxLength: 120, description: 'A name for the run' });

export const BenchmarkRequest = Type.Object({
  dataset: Type.String({ description: 'A named dataset (GET /benchmarks/datasets) or "upload"' }),
  name: Type.Optional(BenchmarkName),
  detectors: Type.Array(DetectorName, { minItems: 1 }),
  upload: Type.Optional(
    Type.Object({
      log: Type.String({ description: 'Log file content' }),
      lineFormat: Type.Optional(Type.String()),
      sessionRegex: Type.Optional(Type.String()),
      labels: Type.String({ description: 'CSV: session or line id, label (1/0 or Normal/Anomaly)' }),
    }),
  ),
});
export type BenchmarkRequest = Static<typeof BenchmarkRequest>;

export const BenchmarkResult = Type.Object({
  dataset: Type.String(),
  detector: Type.String(),
  precision: Type.Number(),
  recall: Type.Number(),
  /** F1 at the default threshold (the detector's calibrated cut, or the LSTM's own rule). */
  f1: Type.Number(),
  /** The same figure under the name the benchmark tables show beside best_f1. */
  f1_default: Type.Optional(Type.Number()),
  /** Best F1 over every threshold on the test scores (computed with the labels: a reference). */
  best_f1: Type.Optional(Type.Number()),
  roc_auc: Type.Number(),
  /** ROC-AUC of anomaly.score (the one calibrated scale the service writes), beside roc_auc of the raw scores. */
  score_roc_auc: Type.Optional(Type.Number()),
  pr_auc: Type.Number(),
  fpr: Type.Number(),
  fit_s: Type.Number(),
  /** Training time per epoch, in seconds (the neural detectors). */
  epoch_s: Type.Optional(Type.Number()),
  /** Time to score the test rows, in seconds. */
  score_s: Type.Number(),
  records_per_s: Type.Number(),
  roc: Type.Optional(Type.Array(Type.Tuple([Type.Number(), Type.Number()]))),
  pr: Type.Optional(Type.Array(Type.Tuple([Type.Number(), Type.Number()]))),
});
export type BenchmarkResult = Static<typeof BenchmarkResult>;

export const BenchmarkRun = Type.Object({
  id: Type.String(),
  name: Type.Optional(BenchmarkName),
  dataset: Type.String(),
  detectors: Type.Array(Type.String()),
  state: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  startedAt: Type.String({ format: 'date-time' }),
  message: Type.Optional(Type.String()),
  results: Type.Array(BenchmarkResult),
});
export type BenchmarkRun = Static<typeof BenchmarkRun>;

/**
 * POST (no body, `content-type: application/json`) under API_PREFIX: stop a queued or running run.
 * Answers the BenchmarkRun, which ends as `failed` with the message `cancelled`; 404 for an unknown id.
 */
export const benchmarkCancelPath = (id: string): string => `/benchmarks/${encodeURIComponent(id)}/cancel`;
/** The message of a run stopped by a cancel. */
export const BENCHMARK_CANCELLED = 'cancelled';

export const Health = Type.Object({ status: Type.String(), version: Type.String(), uptimeS: Type.Number() });

export { ModelConfig };
