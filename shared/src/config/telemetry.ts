import { Type } from '@sinclair/typebox';

/** The processor's own observability: Prometheus /metrics, /healthz, /readyz and its structured log. */
export const TelemetryConfig = Type.Object(
  {
    endpoint: Type.String({ default: '0.0.0.0:9464', description: 'host:port serving /metrics, /healthz, /readyz' }),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    shutdownTimeoutMs: Type.Integer({
      default: 10000,
      minimum: 0,
      description: 'Bounded wait for in-flight exports on SIGTERM.',
    }),
  },
  { default: {} },
);
