import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';
import { DecodeError } from '../otlp/errors';
import { encodeExportResponse, encodeStatus, exportResponseJson } from '../otlp/service';
import { grpcCodeFor, httpStatusFor } from './answers';
import type { Encoding, ExportHandler } from './handler';
import { listenHttp } from '../net/listen';
import { oversize } from './limits';
import type { Release } from './admission';
import { clientAddress } from './client-address';

export interface HttpReceiver {
  address: string;
  close(timeoutMs: number): Promise<void>;
}

export interface HttpReceiverOptions {
  maxMessageBytes: number;
  retryAfterSeconds: number;
  headersTimeoutS: number;
  requestTimeoutS: number;
  idleTimeoutS: number;
  minBodyBytesPerS: number;
}

/** A body slower than the minimum rate is cut only after this long: a short pause is not a slow client. */
const RATE_GRACE_MS = 5_000;
/**
 * An over-size or refused body is read and discarded up to this many times the limit before the
 * answer is sent, so the client reads the answer instead of a reset; beyond it the connection is cut.
 */
const DISCARD_FACTOR = 4;

const CONTENT_TYPES: Record<string, Encoding> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};

/** OTLP/HTTP: POST /v1/logs, protobuf or JSON, optionally gzip-compressed. */
export async function startHttpReceiver(
  endpoint: string,
  handler: ExportHandler,
  opts: HttpReceiverOptions,
): Promise<HttpReceiver> {
  // Node checks header and request deadlines on this period; its 30 s default would stretch them.
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    serve(req, res, handler, opts).catch((err: Error) => {
      // Only reached on a bug: answer something rather than hang the client.
      if (!res.headersSent) res.writeHead(500).end(err.message);
    });
  });
  // A sender trickling headers or a body holds a connection (and, once its headers are in, an
  // admission slot): every phase has a deadline, and bodies a minimum rate (readBody).
  server.headersTimeout = opts.headersTimeoutS * 1000;
  server.requestTimeout = Math.max(opts.requestTimeoutS, opts.headersTimeoutS) * 1000;
  server.keepAliveTimeout = opts.idleTimeoutS * 1000;
  server.timeout = opts.idleTimeoutS * 1000;
  const address = await listenHttp(server, endpoint);
  return {
    address,
    close: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, timeoutMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, handler: ExportHandler, opts: HttpReceiverOptions) {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/v1/logs') return plain(req, res, 404, `no route ${path}; OTLP logs are accepted at POST /v1/logs`);
  if (req.method !== 'POST') return plain(req, res, 405, 'only POST is allowed on /v1/logs', { allow: 'POST' });
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const encoding = CONTENT_TYPES[mediaType];
  if (!encoding) {
    handler.rejected(new DecodeError('unsupported content type', 'content-type'), 'http');
    return plain(
      req,
      res,
      415,
      `unsupported content type "${mediaType}"; use application/x-protobuf or application/json`,
    );
  }
  let release: Release | undefined;
  try {
    const contentEncoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (contentEncoding !== 'gzip' && contentEncoding !== 'identity') {
      throw new DecodeError(`unsupported content encoding "${contentEncoding}"; use gzip or none`, 'content-encoding');
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (contentEncoding === 'identity' && declared > opts.maxMessageBytes)
      throw oversize(declared, opts.maxMessageBytes);
    // Reserve memory before reading: declared size, or the limit when the size is unknown/compressed.
    release = handler.admit(
      Number.isFinite(declared) && contentEncoding === 'identity' ? declared : opts.maxMessageBytes,
      'http',
      { address: clientAddress(req.socket.remoteAddress), receiving: true },
    );
    let body = await readBody(req, opts.maxMessageBytes, opts.minBodyBytesPerS);
    release.received();
    if (contentEncoding === 'gzip') body = await gunzipLimited(body, opts.maxMessageBytes);
    // A connection closed before the answer: the client counts the request failed and retries it.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) gone.abort();
    });
    const result = await handler.process(body, encoding, 'http', gone.signal);
    const out =
      encoding === 'json' ? Buffer.from(JSON.stringify(exportResponseJson(result))) : encodeExportResponse(result);
    res.writeHead(200, { 'content-type': contentTypeOf(encoding), 'content-length': out.length }).end(out);
  } catch (err) {
    handler.rejected(err, 'http');
    release?.();
    release = undefined;
    // Answering while the client still sends would close a socket with unread bytes: a reset the
    // client reads as a retryable broken pipe instead of this answer.
    const unread = !req.complete;
    if (unread) await discardBody(req, DISCARD_FACTOR * opts.maxMessageBytes, opts.minBodyBytesPerS);
    answerError(res, err, encoding, opts.retryAfterSeconds, unread || !req.complete);
  } finally {
    release?.();
  }
}

function readBody(req: IncomingMessage, limit: number, minBytesPerS: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stopWatch = watchRate(
      req,
      minBytesPerS,
      () => size,
      () => {
        done();
        reject(
          new DecodeError(
            `request body arrives slower than ${minBytesPerS} bytes/s (receiver.http.minBodyBytesPerS)`,
            'too-slow',
          ),
        );
        req.socket.destroy();
      },
    );
    const done = () => {
      stopWatch();
      req.off('data', onData);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        reject(oversize(size, limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      done();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.on('error', () => {
      done();
      reject(new DecodeError('request body aborted', 'aborted'));
    });
    req.on('close', () => {
      done();
      if (!req.complete) reject(new DecodeError('request body aborted', 'aborted'));
    });
  });
}

/**
 * Reads and drops the rest of a body, up to `bound` bytes and while it keeps the minimum rate;
 * past either, the answer goes out and the connection is cut.
 */
function discardBody(req: IncomingMessage, bound: number, minBytesPerS: number): Promise<void> {
  return new Promise((resolve) => {
    if (req.destroyed || req.readableEnded) return resolve();
    let size = 0;
    const stopWatch = watchRate(
      req,
      minBytesPerS,
      () => size,
      () => finish(),
    );
    const finish = () => {
      stopWatch();
      req.off('data', onData);
      req.off('end', finish);
      req.off('close', finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > bound) finish();
    };
    req.on('data', onData);
    req.on('end', finish);
    req.on('close', finish);
    req.resume();
  });
}

/** Calls `onSlow` once a body, after its grace period, averages under `minBytesPerS`; returns the stop. */
function watchRate(req: IncomingMessage, minBytesPerS: number, size: () => number, onSlow: () => void): () => void {
  if (minBytesPerS <= 0) return () => undefined;
  const started = Date.now();
  const timer = setInterval(() => {
    const elapsed = Date.now() - started;
    if (elapsed >= RATE_GRACE_MS && (size() * 1000) / elapsed < minBytesPerS) onSlow();
  }, 1_000);
  return () => clearInterval(timer);
}

function gunzipLimited(body: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    gunzip(body, { maxOutputLength: limit }, (err, out) => {
      if (!err) return resolve(out);
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        reject(
          new DecodeError(
            `decompressed request exceeds the limit of ${limit} bytes (receiver.maxRecvMsgSizeMiB)`,
            'oversize',
          ),
        );
      } else reject(new DecodeError(`malformed gzip body: ${err.message}`, 'bad-gzip'));
    }),
  );
}

function contentTypeOf(encoding: Encoding): string {
  return encoding === 'json' ? 'application/json' : 'application/x-protobuf';
}

/** Error answer: the status code and a google.rpc.Status body in the request's encoding. */
function answerError(res: ServerResponse, err: unknown, encoding: Encoding, retryAfter: number, close: boolean) {
  const status = httpStatusFor(err);
  const code = grpcCodeFor(err);
  const message = err instanceof Error ? err.message : String(err);
  const body = encoding === 'json' ? Buffer.from(JSON.stringify({ code, message })) : encodeStatus(code, message);
  const headers: Record<string, string | number> = {
    'content-type': contentTypeOf(encoding),
    'content-length': body.length,
  };
  if (status === 429 || status === 503) headers['retry-after'] = retryAfter;
  if (close) headers.connection = 'close';
  res.writeHead(status, headers).end(body);
}

function plain(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  message: string,
  extra: Record<string, string> = {},
) {
  req.resume();
  res.writeHead(status, { 'content-type': 'text/plain', ...extra }).end(message + '\n');
}
