import { Type } from '@sinclair/typebox';

/** The processor's HTTP API (Grafana app, scripts): /api/v1/…, /openapi.json. */
export const ApiConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    endpoint: Type.String({
      default: '127.0.0.1:8080',
      description: 'host:port of the HTTP API; port 0 picks a free port.',
    }),
    token: Type.String({
      default: '',
      description: 'Bearer token required on every API call except /api/v1/health. Set it with ANOMALOG_API_TOKEN.',
    }),
    auth: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], {
      default: 'auto',
      description:
        'auto: required whenever api.token is set, and when the endpoint is not loopback (start-up fails without a token there); on: always; off: never.',
    }),
    allowedHosts: Type.Array(Type.String(), {
      default: [],
      description:
        'Host header names (without port) the API answers; others get 403 (DNS rebinding). Empty: loopback names (localhost, 127.0.0.0/8, ::1) and the endpoint host, or any name when a token is required (the token already stops rebinding). "*" allows any. Origin headers are checked against the same names plus allowedOrigins.',
    }),
    allowedOrigins: Type.Array(Type.String(), {
      default: [],
      description:
        'Browser origins (e.g. "https://grafana.example.com") allowed besides those whose host passes allowedHosts; a request with another Origin gets 403. Grafana calls through its plugin proxy, server-side.',
    }),
    benchmarkTimeoutMinutes: Type.Number({
      default: 30,
      exclusiveMinimum: 0,
      description:
        'A benchmark run still going after this long is stopped and ends as failed; POST /api/v1/benchmarks/{id}/cancel stops one earlier.',
    }),
    maxQueuedUploadMiB: Type.Number({
      default: 128,
      exclusiveMinimum: 0,
      description:
        'Bytes the uploads of queued benchmark runs may hold together (a body over 1 MiB waits in a temporary file, a smaller one in memory at two bytes a character); over it POST /benchmarks answers 429 with Retry-After until a run finishes, before reading a body that has no room.',
    }),
    datasetsDir: Type.String({
      default: '../shared/datasets',
      description: 'Where named benchmark datasets are read from (see docs/benchmarks.md).',
    }),
  },
  { default: {}, additionalProperties: false },
);
