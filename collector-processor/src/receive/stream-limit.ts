/**
 * A gRPC connection's HTTP/2 stream limit (SETTINGS_MAX_CONCURRENT_STREAMS) follows the size of the
 * requests it sends. Every connection starts at the bound for large requests: grpc-js gathers each
 * message whole before the handler sees it, so large requests arriving together hold the loop
 * together. A connection whose last `smallRun` requests were all small (one piece, decoded in one go)
 * is offered `small` streams instead: each such request costs the loop little, and the round trips to
 * the downstream and back to the sender are what a low bound would then leave the loop idle for (a
 * Collector exporter sends from 10 consumers over one connection). Its first large request brings
 * the connection back to the large bound.
 */
import type { ServerHttp2Session, ServerHttp2Stream } from 'node:http2';

export interface StreamLimits {
  /** Streams of a new connection, and of one that sent a large request lately. */
  large: number;
  /** Streams of a connection whose last `smallRun` requests were small. */
  small: number;
  /** Largest request (bytes of its HTTP/2 body) that counts as small. */
  smallBytes: number;
  /** Small requests in a row before a connection is offered `small` streams. */
  smallRun: number;
}

/** Follows one connection's request sizes (call as the session opens, before its first stream). */
export function followRequestSizes(session: ServerHttp2Session, limits: StreamLimits): void {
  if (limits.small <= limits.large) return;
  let run = 0;
  let raised = false;
  const offer = (streams: number) => {
    if (!session.closed && !session.destroyed) session.settings({ maxConcurrentStreams: streams });
  };
  session.on('stream', (stream: ServerHttp2Stream) => {
    let bytes = 0;
    // grpc-js reads the stream with its own 'data' listener, attached before this one: no byte is lost.
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limits.smallBytes) return;
      stream.off('data', onData);
      run = 0;
      if (raised) {
        raised = false;
        offer(limits.large);
      }
    };
    stream.on('data', onData);
    stream.once('end', () => {
      if (bytes > limits.smallBytes || raised) return;
      if (++run >= limits.smallRun) {
        raised = true;
        offer(limits.small);
      }
    });
  });
}
