import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { METRIC } from '@anomalog/shared';

/**
 * Self-telemetry of the OTLP path. The registry is returned by startProcessor so later stages
 * register their own metrics (detection counters etc.) on the same /metrics endpoint.
 */
export interface ProcessorMetrics {
  readonly registry: Registry;
  readonly recordsReceived: Counter<'protocol'>;
  readonly recordsExported: Counter;
  readonly recordsFailed: Counter<'reason'>;
  readonly requestsRejected: Counter<'protocol' | 'reason'>;
  readonly exportLatency: Histogram;
  readonly inflightRequests: Gauge;
}

export function createProcessorMetrics(registry = new Registry()): ProcessorMetrics {
  collectDefaultMetrics({ register: registry, prefix: 'anomalog_' });
  const registers = [registry];
  return {
    registry,
    recordsReceived: new Counter({
      name: METRIC.recordsReceived,
      help: 'Log records accepted from upstream (decoded successfully).',
      labelNames: ['protocol'],
      registers,
    }),
    recordsExported: new Counter({
      name: METRIC.recordsExported,
      help: 'Log records the downstream accepted (or, with no downstream, that were answered with success).',
      registers,
    }),
    recordsFailed: new Counter({
      name: METRIC.recordsFailed,
      help: 'Log records received but not accepted downstream; upstream got an error and keeps them.',
      labelNames: ['reason'],
      registers,
    }),
    requestsRejected: new Counter({
      name: METRIC.requestsRejected,
      help: 'Export requests answered with an error, by reason.',
      labelNames: ['protocol', 'reason'],
      registers,
    }),
    exportLatency: new Histogram({
      name: METRIC.exportLatency,
      help: 'Time from receiving a request to the downstream accepting it.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    inflightRequests: new Gauge({
      name: METRIC.inflightRequests,
      help: 'Export requests being processed right now.',
      registers,
    }),
  };
}
