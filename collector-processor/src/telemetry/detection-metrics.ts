import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRIC, METRIC_LABEL as L } from '@anomalog/shared';
import { SeriesHistogram } from './series-histogram';

/** Detection metrics on /metrics (names shared with dashboards and alert rules). */
export interface DetectionMetrics {
  readonly anomalies: Counter<'service' | 'detector' | 'template_id'>;
  /** Observed once per scored record: take a service's series once per batch (SeriesHistogram). */
  readonly score: SeriesHistogram<'service'>;
  readonly anomaliesNotStored: Counter<'reason'>;
  readonly recordsScored: Counter<'service' | 'outcome'>;
  readonly templatesSeen: Gauge;
  readonly templatesNew: Counter<'service'>;
  readonly sessionsOpen: Gauge;
  readonly trainingRuns: Counter<'service' | 'outcome'>;
  readonly trainingDuration: Histogram<'service'>;
}

/** `templateCount` and `openSessions` are read at each scrape for their gauges. */
export function createDetectionMetrics(
  registry: Registry,
  templateCount: () => number = () => 0,
  openSessions: () => number = () => 0,
): DetectionMetrics {
  const registers = [registry];
  const existing = registry.getSingleMetric(METRIC.anomalies);
  if (existing) throw new Error('detection metrics are already registered on this registry');
  return {
    anomalies: new Counter({
      name: METRIC.anomalies,
      help: 'Records found anomalous, by service, deciding detector and template.',
      labelNames: [L.service, L.detector, L.template],
      registers,
    }),
    score: new SeriesHistogram({
      name: METRIC.anomalyScore,
      help: 'Anomaly score (0..1) of scored records.',
      labelNames: [L.service],
      buckets: [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1],
      registers,
    }),
    anomaliesNotStored: new Counter({
      name: METRIC.anomaliesNotStored,
      help: 'Anomalies annotated downstream but not written to the store: reason write_failed or queue_full.',
      labelNames: [L.reason],
      registers,
    }),
    recordsScored: new Counter({
      name: METRIC.recordsScored,
      help: 'Records through the detect stage: outcome scored, or unscored while the service learns.',
      labelNames: [L.service, L.outcome],
      registers,
    }),
    templatesSeen: new Gauge({
      name: METRIC.templatesSeen,
      help: 'Templates the miner holds now.',
      registers,
      collect() {
        this.set(templateCount());
      },
    }),
    templatesNew: new Counter({
      name: METRIC.templatesNew,
      help: 'Templates seen for the first time.',
      labelNames: [L.service],
      registers,
    }),
    sessionsOpen: new Gauge({
      name: METRIC.sessionsOpen,
      help: 'Sessions open now (records grouped by session key).',
      registers,
      collect() {
        this.set(openSessions());
      },
    }),
    trainingRuns: new Counter({
      name: METRIC.trainingRuns,
      help: 'Model trainings, by outcome (done, failed).',
      labelNames: [L.service, L.outcome],
      registers,
    }),
    trainingDuration: new Histogram({
      name: METRIC.trainingDuration,
      help: 'Duration of model trainings.',
      labelNames: [L.service],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers,
    }),
  };
}
