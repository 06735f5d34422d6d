import { Type } from '@sinclair/typebox';

/** The next hop: a Collector's second pipeline or any OTLP backend. Absent endpoint = no downstream. */
export const ExporterConfig = Type.Object(
  {
    endpoint: Type.Optional(
      Type.String({
        description: 'Downstream OTLP endpoint, e.g. "collector:4317" (gRPC) or "http://collector:4318" (HTTP).',
      }),
    ),
    protocol: Type.Union([Type.Literal('grpc'), Type.Literal('http/protobuf')], { default: 'grpc' }),
    headers: Type.Record(Type.String(), Type.String(), {
      default: {},
      description: 'Extra request headers / gRPC metadata, e.g. an API key.',
    }),
    timeoutMs: Type.Integer({ default: 10000, minimum: 1, description: 'Per-export deadline.' }),
    compression: Type.Union([Type.Literal('none'), Type.Literal('gzip')], { default: 'none' }),
    tls: Type.Object(
      {
        insecure: Type.Boolean({ default: true, description: 'Plaintext connection when true.' }),
        caFile: Type.Optional(Type.String()),
        certFile: Type.Optional(Type.String()),
        keyFile: Type.Optional(Type.String()),
        insecureSkipVerify: Type.Boolean({ default: false }),
      },
      { default: {} },
    ),
  },
  { default: {} },
);
