import * as grpc from '@grpc/grpc-js';
import { ProcessingError } from '../otlp/errors';
import { LOGS_EXPORT_PATH, decodeExportResponse, type ExportResponse } from '../otlp/service';
import { RETRYABLE_GRPC } from '../otlp/retryable';
import { DOWNSTREAM_TOO_LARGE, type LogsExporter } from './exporter';
import { grpcAddress, grpcCredentials, grpcMetadata } from '../net/grpc-client';
import { tlsMaterial, type ExporterSettings } from '../net/target';

const identity = (b: Buffer): Buffer => b;

/** OTLP/gRPC client for LogsService/Export over raw bytes. */
export function createGrpcExporter(cfg: ExporterSettings): LogsExporter {
  const address = grpcAddress(cfg);
  const tls = tlsMaterial(cfg);
  const credentials = grpcCredentials(cfg);
  const client = new grpc.Client(address, credentials, {
    'grpc.max_send_message_length': -1,
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    // Reconnect soon after the downstream comes back, within the upstream's retry window.
    'grpc.initial_reconnect_backoff_ms': 250,
    'grpc.max_reconnect_backoff_ms': 2000,
    // Channelz (grpc-js's per-call introspection registry) is never served here: no per-call tracking.
    'grpc.enable_channelz': 0,
    ...(cfg.compression === 'gzip' ? { 'grpc.default_compression_algorithm': 2 } : {}),
  });
  const metadata = grpcMetadata(cfg);

  return {
    target: `${tls ? 'grpcs' : 'grpc'}://${address}`,
    export(request: Buffer): Promise<ExportResponse> {
      return new Promise((resolve, reject) => {
        client.makeUnaryRequest<Buffer, Buffer>(
          LOGS_EXPORT_PATH,
          identity,
          identity,
          request,
          metadata,
          { deadline: Date.now() + cfg.timeoutMs },
          (err, res) => {
            if (!err) return resolve(res && res.length ? decodeExportResponse(res) : {});
            reject(downstreamError(err));
          },
        );
      });
    },
    close: () => {
      client.close();
      return Promise.resolve();
    },
  };
}

function downstreamError(err: grpc.ServiceError): ProcessingError {
  const name = grpc.status[err.code] ?? String(err.code);
  // grpc-go's answer to a message over its receiver's max_recv_msg_size_mib (a Collector's 4 MiB default).
  if (err.code === grpc.status.RESOURCE_EXHAUSTED && /larger than max/i.test(err.details)) {
    return new ProcessingError(
      'downstream-rejected',
      `downstream refused the request as too large (${name}): ${err.details}`,
      DOWNSTREAM_TOO_LARGE,
      { grpcCode: err.code },
    );
  }
  if (RETRYABLE_GRPC.has(err.code)) {
    return new ProcessingError(
      'downstream-unavailable',
      `downstream unavailable (${name}): ${err.details}`,
      `downstream-${name.toLowerCase()}`,
    );
  }
  return new ProcessingError(
    'downstream-rejected',
    `downstream rejected the request (${name}): ${err.details}`,
    'downstream-rejected',
    {
      grpcCode: err.code,
    },
  );
}
