import * as grpc from '@grpc/grpc-js';
import { LOGS_EXPORT_PATH, encodeExportResponse } from '../otlp/service';
import { grpcCodeFor } from './answers';
import { oversize } from './limits';
import { grpcPeerAddress } from './client-address';
import type { ExportHandler } from './handler';
import type { Release } from './admission';
import { formatHostPort, splitHostPort } from '../net/listen';
import { bindWithWindows } from '../net/http2-windows';
import { PIECED_REQUEST_BYTES } from './request-pieces';
import { followRequestSizes } from './stream-limit';

export interface GrpcReceiver {
  address: string;
  /** False when the HTTP/2 windows stayed at grpc-js's 64 KiB defaults (http2-windows.ts). */
  windowsRaised: boolean;
  /** Stop accepting; resolves when in-flight calls finished or after timeoutMs (then cancels them). */
  close(timeoutMs: number): Promise<void>;
}

const identity = (b: Buffer): Buffer => b;

/** Raw-bytes service definition: no proto loading, the codec does the (de)serialization. */
const LOGS_SERVICE: grpc.ServiceDefinition = {
  Export: {
    path: LOGS_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/** Streams one connection may have open: for large requests, and once it sends only small ones. */
export interface GrpcStreams {
  maxConcurrentStreams: number;
  maxConcurrentSmallStreams: number;
}

/** Small requests in a row before a connection is offered the small-request streams. */
const SMALL_RUN = 16;

export async function startGrpcReceiver(
  endpoint: string,
  handler: ExportHandler,
  maxMessageBytes: number,
  streams: GrpcStreams,
): Promise<GrpcReceiver> {
  const { maxConcurrentStreams } = streams;
  const server = new grpc.Server({
    // grpc-js refuses messages over its limit itself (RESOURCE_EXHAUSTED, before we see them). Give it
    // twice ours so that the usual over-size request gets our clear INVALID_ARGUMENT and is counted;
    // only absurd sizes hit grpc-js's answer.
    'grpc.max_receive_message_length': 2 * maxMessageBytes,
    'grpc.max_send_message_length': 16 * 1024 * 1024,
    // Channelz (grpc-js's per-call introspection registry) is never served here: no per-call tracking.
    'grpc.enable_channelz': 0,
    // Streams beyond it wait in the sender, not here: what one connection has arriving and assembled
    // at once (grpc-js gathers each message whole before our handler sees it) stays bounded.
    'grpc.max_concurrent_streams': maxConcurrentStreams,
  });
  server.addService(LOGS_SERVICE, {
    Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      let release: Release;
      try {
        if (call.request.length > maxMessageBytes) throw oversize(call.request.length, maxMessageBytes);
        release = handler.admit(call.request.length, 'grpc', { address: grpcPeerAddress(call.getPeer()) });
      } catch (err) {
        handler.rejected(err, 'grpc');
        callback({ code: grpcCodeFor(err), details: (err as Error).message });
        return;
      }
      // The client's deadline passing or its cancel: it counts the request failed and retries it.
      // grpc-js also reports every call's stream closing after the answer as 'cancelled': not a cancel.
      const gone = new AbortController();
      let answered = false;
      call.on('cancelled', () => {
        if (!answered) gone.abort();
      });
      handler.process(call.request, 'protobuf', 'grpc', gone.signal).then(
        (res) => {
          answered = true;
          release();
          callback(null, encodeExportResponse(res));
        },
        (err: Error) => {
          answered = true;
          release();
          callback({ code: grpcCodeFor(err), details: err.message });
        },
      );
    },
  });
  const { host, port } = splitHostPort(endpoint);
  const limits = {
    large: maxConcurrentStreams,
    small: streams.maxConcurrentSmallStreams,
    smallBytes: PIECED_REQUEST_BYTES,
    smallRun: SMALL_RUN,
  };
  const bound = await bindWithWindows(
    server,
    formatHostPort(host, port),
    grpc.ServerCredentials.createInsecure(),
    (s) => followRequestSizes(s, limits),
  );
  return {
    address: formatHostPort(host, bound.port),
    windowsRaised: bound.windowsRaised,
    close: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, timeoutMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
