import { status as GrpcStatus } from '@grpc/grpc-js';

/** gRPC codes an OTLP client may retry (OTLP spec); the rest are final. */
export const RETRYABLE_GRPC = new Set<number>([
  GrpcStatus.CANCELLED,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.ABORTED,
  GrpcStatus.OUT_OF_RANGE,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
]);

/** HTTP statuses an OTLP client may retry (OTLP spec). */
export const RETRYABLE_HTTP = new Set<number>([429, 502, 503, 504]);
