import { Type } from '@sinclair/typebox';

/** The processor's own observability: Prometheus /metrics, /healthz, /readyz and its structured log. */
export const TelemetryConfig = Type.Object(
  {
    endpoint: Type.String({
      default: '0.0.0.0:9464',
      description: 'host:port serving /metrics, /healthz, /readyz; port 0 picks a free port.',
    }),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => Type.Literal(l)),
      { default: 'info', description: "Level of the processor's own JSON log (stdout)." },
    ),
    otlpMetricsIntervalS: Type.Number({
      default: 30,
      minimum: 0,
      description:
        'Seconds between OTLP pushes of the anomaly and processor metrics to exporter.endpoint (0 = only /metrics).',
    }),
    staleSeriesMinutes: Type.Number({
      default: 60,
      exclusiveMinimum: 0,
      description:
        'A service without records this long loses its metric series (and its place among the detection.maxServices with series of their own; later ones share service="other").',
    }),
    shutdownTimeoutMs: Type.Integer({
      default: 10000,
      minimum: 0,
      description: 'Bounded wait for in-flight exports on SIGTERM.',
    }),
  },
  { default: {}, additionalProperties: false },
);
