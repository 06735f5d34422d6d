/**
 * HTTP/2 flow-control windows of a grpc-js server. grpc-js leaves them at nghttp2's defaults, 64 KiB
 * per stream and per connection, and has no server option for them (its clients have
 * 'grpc-node.flow_control_window'). An OTLP request is usually larger (512 HDFS records are 77 KB, a
 * Collector batch of 8,192 about 1 MB), so a sender stops every 64 KiB until our event loop reads and
 * answers with a WINDOW_UPDATE, and any batch being scored delays that. In bench:throughput those
 * waits were the p99 latency tail (a downstream sink with 64 KiB windows: export-leg p99 80-114 ms;
 * with 4 MiB windows 15-22 ms). Go gRPC, the Collector's, sizes its windows by bandwidth-delay probing.
 *
 * grpc-js keeps the HTTP/2 server settings in a private object that bind() passes to
 * http2.createServer, and its HTTP/2 servers in a private map; both are checked before use, and
 * without them the server keeps grpc-js's defaults (the result says so).
 */
import type * as grpc from '@grpc/grpc-js';
import type { Http2Server, ServerHttp2Session } from 'node:http2';

/** Per-stream window: room for a whole typical OTLP request. */
export const STREAM_WINDOW_BYTES = 4 << 20;
/** Per-connection window: several such requests in flight on one connection. */
export const CONNECTION_WINDOW_BYTES = 16 << 20;

interface GrpcServerInternals {
  commonServerOptions?: { settings?: Record<string, unknown> };
  http2Servers?: Map<Http2Server, unknown>;
}

/**
 * server.bindAsync with the windows raised: the stream window is a setting bind() hands to
 * http2.createServer, each connection's window is set as the connection opens. `windowsRaised` is
 * false when this grpc-js hides either (the server then runs with its defaults, and `onSession` is
 * never called).
 */
export async function bindWithWindows(
  server: grpc.Server,
  address: string,
  credentials: grpc.ServerCredentials,
  onSession?: (session: ServerHttp2Session) => void,
): Promise<{ port: number; windowsRaised: boolean }> {
  const stream = raiseStreamWindow(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, credentials, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, windowsRaised: raiseConnectionWindow(server, CONNECTION_WINDOW_BYTES, onSession) && stream };
}

/** Before bindAsync: the stream window new connections are offered. False when grpc-js changed. */
function raiseStreamWindow(server: grpc.Server, bytes = STREAM_WINDOW_BYTES): boolean {
  const options = (server as unknown as GrpcServerInternals).commonServerOptions;
  if (!options || typeof options !== 'object') return false;
  options.settings = { ...options.settings, initialWindowSize: bytes };
  return true;
}

/** After bindAsync: each new connection's window. False when grpc-js changed. */
function raiseConnectionWindow(
  server: grpc.Server,
  bytes: number,
  onSession?: (session: ServerHttp2Session) => void,
): boolean {
  const servers = (server as unknown as GrpcServerInternals).http2Servers;
  if (!(servers instanceof Map) || servers.size === 0) return false;
  for (const http2Server of servers.keys()) {
    http2Server.on('session', (session: ServerHttp2Session) => {
      session.setLocalWindowSize(bytes);
      onSession?.(session);
    });
  }
  return true;
}
