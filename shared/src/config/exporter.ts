import { Type } from '@sinclair/typebox';

/** The next hop: a Collector's second pipeline or any OTLP backend. Absent endpoint = no downstream. */
export const ExporterConfig = Type.Object(
  {
    endpoint: Type.Optional(
      Type.String({
        description:
          'Downstream OTLP endpoint, e.g. "collector:4317" (gRPC) or "http://collector:4318" (HTTP; /v1/logs is appended unless a path is given). Unset: no downstream, requests are answered with success.',
      }),
    ),
    protocol: Type.Union([Type.Literal('grpc'), Type.Literal('http/protobuf')], {
      default: 'grpc',
      description: 'Wire protocol to the downstream.',
    }),
    headers: Type.Record(Type.String(), Type.String(), {
      default: {},
      description: 'Extra request headers / gRPC metadata, e.g. an API key.',
    }),
    timeoutMs: Type.Integer({
      default: 5000,
      minimum: 1,
      description:
        "Per-export deadline. Keep it below the upstream exporter's timeout so a slow downstream is answered as retryable before upstream gives up.",
    }),
    maxRequestMiB: Type.Number({
      default: 3.9,
      exclusiveMinimum: 0,
      description:
        "Largest request sent downstream, before compression. Annotations make requests larger than they came: larger ones are split. Keep it under the downstream receiver's limit (a Collector's max_recv_msg_size_mib, 4 MiB by default); a downstream that still answers 'too large' gets the request in halves, and a record too large on its own is dropped (partial success upstream, anomalog_records_failed_total{reason=\"record-too-large\"}).",
    }),
    compression: Type.Union([Type.Literal('none'), Type.Literal('gzip')], {
      default: 'none',
      description: 'Compression of requests to the downstream.',
    }),
    tls: Type.Object(
      {
        insecure: Type.Boolean({
          default: true,
          description: 'Plaintext connection when true (an https:// endpoint always uses TLS).',
        }),
        caFile: Type.Optional(Type.String({ description: 'PEM CA bundle to verify the downstream certificate.' })),
        certFile: Type.Optional(Type.String({ description: 'PEM client certificate (mutual TLS).' })),
        keyFile: Type.Optional(Type.String({ description: 'PEM client key (mutual TLS).' })),
        insecureSkipVerify: Type.Boolean({
          default: false,
          description: 'Accept any server certificate (testing only).',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { default: {}, additionalProperties: false },
);
