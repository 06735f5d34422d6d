/**
 * The anomaly and self-telemetry metrics, also pushed over OTLP to the configured downstream (the
 * next Collector pipeline), every `telemetry.otlpMetricsIntervalS`. The prom-client registry behind
 * /metrics stays the one source: each round converts its Anomalog metrics (names in shared METRIC)
 * to OTLP data points (cumulative sums, gauges, explicit-bucket histograms) and exports them with
 * the OTel JS OTLP metric exporter.
 */
import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as HttpMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { METRIC } from '@anomalog/shared';
import type { MetricObjectWithValues, MetricValue, MetricValueWithName, Registry } from 'prom-client';
import { grpcAddress, grpcCredentials, grpcMetadata } from '../net/grpc-client';
import type { ExporterSettings } from '../net/target';
import type { Logger } from './logger';

const EXPORTED = new Set<string>(Object.values(METRIC));

export interface OtlpMetricsPusher {
  /** Export once now (tests, shutdown). */
  pushNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startOtlpMetrics(
  registry: Registry,
  cfg: ExporterSettings,
  intervalS: number,
  logger: Logger,
  version: string,
): OtlpMetricsPusher | undefined {
  if (!cfg.endpoint || intervalS <= 0) return undefined;
  const exporter = createMetricExporter(cfg);
  const resource = resourceFromAttributes({ 'service.name': 'anomalog', 'service.version': version });
  const startTime = hrTime(Date.now());
  let running: Promise<void> = Promise.resolve();
  const push = (): Promise<void> =>
    (running = running.then(async () => {
      const metrics = toOtlp(await registry.getMetricsAsJSON(), startTime, hrTime(Date.now()));
      const data: ResourceMetrics = { resource, scopeMetrics: [{ scope: { name: 'anomalog', version }, metrics }] };
      await new Promise<void>((done) =>
        exporter.export(data, (r) => {
          if (r.code !== ExportResultCode.SUCCESS)
            logger.warn({ err: r.error?.message }, 'OTLP metrics export failed; the next round sends them again');
          done();
        }),
      );
    }));
  const timer = setInterval(() => void push(), intervalS * 1000);
  timer.unref();
  logger.info({ endpoint: cfg.endpoint, intervalS }, 'pushing anomaly metrics over OTLP');
  return {
    pushNow: push,
    async stop() {
      clearInterval(timer);
      await push();
      await exporter.shutdown();
    },
  };
}

function createMetricExporter(cfg: ExporterSettings): PushMetricExporter {
  if (cfg.protocol === 'grpc') {
    return new GrpcMetricExporter({
      url: `http://${grpcAddress(cfg)}`,
      credentials: grpcCredentials(cfg),
      metadata: grpcMetadata(cfg),
      timeoutMillis: cfg.timeoutMs,
    });
  }
  const base = /^https?:\/\//i.test(cfg.endpoint!) ? cfg.endpoint! : `http://${cfg.endpoint}`;
  return new HttpMetricExporter({
    url: `${base.replace(/\/+$/, '')}/v1/metrics`,
    headers: cfg.headers,
    timeoutMillis: cfg.timeoutMs,
  });
}

function hrTime(ms: number): HrTime {
  return [Math.floor(ms / 1000), (ms % 1000) * 1e6];
}

/** prom-client's JSON of the exported metrics as OTLP metric data. */
export function toOtlp(all: MetricObjectWithValues<MetricValue<string>>[], start: HrTime, end: HrTime): MetricData[] {
  const out: MetricData[] = [];
  for (const m of all) {
    if (!EXPORTED.has(m.name)) continue;
    const descriptor = { name: m.name, description: m.help, unit: '', valueType: ValueType.DOUBLE };
    const point = <T>(attributes: Attributes, value: T) => ({ startTime: start, endTime: end, attributes, value });
    const type = String(m.type);
    if (type === 'counter') {
      out.push({
        descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: m.values.map((v) => point(v.labels as Attributes, v.value)),
      });
    } else if (type === 'gauge') {
      out.push({
        descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.GAUGE,
        dataPoints: m.values.map((v) => point(v.labels as Attributes, v.value)),
      });
    } else if (type === 'histogram') {
      out.push({
        descriptor,
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: histogramPoints(m.values as MetricValueWithName<string>[]).map((h) => point(h.labels, h.value)),
      });
    }
  }
  return out;
}

/** prom histograms come as cumulative `_bucket{le}` series plus `_sum` and `_count` per label set. */
function histogramPoints(values: MetricValueWithName<string>[]) {
  const byLabels = new Map<string, { labels: Attributes; le: [number, number][]; sum: number; count: number }>();
  for (const v of values) {
    const { le, ...labels } = v.labels as Record<string, string | number>;
    const key = JSON.stringify(labels);
    let h = byLabels.get(key);
    if (!h) byLabels.set(key, (h = { labels, le: [], sum: 0, count: 0 }));
    if (v.metricName?.endsWith('_bucket')) h.le.push([le === '+Inf' ? Infinity : Number(le), v.value]);
    else if (v.metricName?.endsWith('_sum')) h.sum = v.value;
    else if (v.metricName?.endsWith('_count')) h.count = v.value;
  }
  return [...byLabels.values()].map((h) => {
    h.le.sort((a, b) => a[0] - b[0]);
    const boundaries = h.le.filter(([b]) => Number.isFinite(b)).map(([b]) => b);
    const counts = h.le.map(([, c], i) => c - (i > 0 ? h.le[i - 1][1] : 0));
    return {
      labels: h.labels,
      value: { buckets: { boundaries, counts }, sum: h.sum, count: h.count, hasMinMax: false },
    };
  });
}
