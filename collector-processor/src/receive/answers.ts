import { status as GrpcStatus } from '@grpc/grpc-js';
import { ProcessingError } from '../otlp/errors';

/** gRPC status and HTTP status for a refusal (see docs/delivery.md for the table). */
export function grpcCodeFor(err: unknown): number {
  if (!(err instanceof ProcessingError)) return GrpcStatus.INTERNAL;
  switch (err.refusal) {
    case 'bad-input':
      return GrpcStatus.INVALID_ARGUMENT;
    case 'throttled':
    case 'downstream-unavailable':
    case 'shutting-down':
      return GrpcStatus.UNAVAILABLE;
    case 'downstream-rejected':
      return err.downstream?.grpcCode ?? grpcFromHttp(err.downstream?.httpStatus ?? 400);
  }
}

export function httpStatusFor(err: unknown): number {
  if (!(err instanceof ProcessingError)) return 500;
  switch (err.refusal) {
    case 'bad-input':
      return 400;
    case 'throttled':
      return 429;
    case 'downstream-unavailable':
    case 'shutting-down':
      return 503;
    case 'downstream-rejected':
      return err.downstream?.httpStatus ?? httpFromGrpc(err.downstream?.grpcCode ?? GrpcStatus.INVALID_ARGUMENT);
  }
}

function grpcFromHttp(status: number): number {
  if (status === 401) return GrpcStatus.UNAUTHENTICATED;
  if (status === 403) return GrpcStatus.PERMISSION_DENIED;
  if (status === 404) return GrpcStatus.UNIMPLEMENTED;
  if (status >= 400 && status < 500) return GrpcStatus.INVALID_ARGUMENT;
  return GrpcStatus.INTERNAL;
}

function httpFromGrpc(code: number): number {
  if (code === GrpcStatus.INVALID_ARGUMENT) return 400;
  if (code === GrpcStatus.UNAUTHENTICATED) return 401;
  if (code === GrpcStatus.PERMISSION_DENIED) return 403;
  if (code === GrpcStatus.UNIMPLEMENTED || code === GrpcStatus.NOT_FOUND) return 404;
  return 500;
}
