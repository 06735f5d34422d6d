import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRIC, METRIC_LABEL as L } from '@anomalog/shared';
import { SeriesHistogram } from './series-histogram';
import { ServiceLabels } from './service-labels';

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
  /** The `service` label for a service name: capped in number and length (ServiceLabels). */
  service(name: string): string;
  /** Removes the series of services unseen for a while; called on a timer. */
  sweepStale(): void;
}

export interface SeriesBounds {
  /** Services with series of their own (detection.maxServices); others share service="other". */
  maxServices: number;
  /** A service unseen this long loses its series. */
  staleMs: number;
}

/** `templateCount` and `openSessions` are read at each scrape for their gauges. */
export function createDetectionMetrics(
  registry: Registry,
  templateCount: () => number = () => 0,
  openSessions: () => number = () => 0,
  bounds: SeriesBounds = { maxServices: 1000, staleMs: 60 * 60_000 },
): DetectionMetrics {
  const registers = [registry];
  const existing = registry.getSingleMetric(METRIC.anomalies);
  if (existing) throw new Error('detection metrics are already registered on this registry');
  const labels = new ServiceLabels(bounds.maxServices, bounds.staleMs);
  // Stale series go at scrape time (a collect below), at most once a minute: no timer to stop.
  let lastSweep = Date.now();
  const sweepDue = () => {
    if (Date.now() - lastSweep < 60_000) return;
    lastSweep = Date.now();
    sweep();
  };
  const m: Omit<DetectionMetrics, 'service' | 'sweepStale'> = {
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
        sweepDue();
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
  const byService = [m.anomalies, m.recordsScored, m.templatesNew, m.trainingRuns, m.trainingDuration];
  function sweep(): void {
    for (const service of labels.sweep()) {
      for (const metric of byService) removeWhere(metric, L.service, service);
      m.score.removeWhere(L.service, service);
    }
  }
  return { ...m, service: (name) => labels.label(name), sweepStale: sweep };
}

/** prom-client removes a series by its full label set: find those with `label` = `value`. */
function removeWhere(metric: Counter<string> | Histogram<string>, label: string, value: string): void {
  const internal = metric as unknown as { hashMap: Record<string, { labels: Record<string, string | number> }> };
  for (const entry of Object.values(internal.hashMap)) if (entry.labels[label] === value) metric.remove(entry.labels);
}
