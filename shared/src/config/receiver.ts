import { Type } from '@sinclair/typebox';

/** Where and how the processor accepts OTLP logs (the upstream Collector's `otlp` exporter points here). */
export const ReceiverConfig = Type.Object(
  {
    grpc: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        endpoint: Type.String({ default: '0.0.0.0:4317', description: 'host:port for OTLP/gRPC' }),
      },
      { default: {} },
    ),
    http: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        endpoint: Type.String({ default: '0.0.0.0:4318', description: 'host:port for OTLP/HTTP (POST /v1/logs)' }),
      },
      { default: {} },
    ),
    maxRecvMsgSizeMiB: Type.Number({
      default: 4,
      exclusiveMinimum: 0,
      description: 'Largest request accepted, after decompression (the Collector receiver default is 4 MiB).',
    }),
    maxConcurrentRequests: Type.Integer({
      default: 64,
      minimum: 1,
      description: 'Requests processed at once; more are answered with a retryable error.',
    }),
    maxInflightMiB: Type.Number({
      default: 256,
      exclusiveMinimum: 0,
      description: 'Bound on request bytes held in memory; over it new requests get a retryable error.',
    }),
  },
  { default: {} },
);
