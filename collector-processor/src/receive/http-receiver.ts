import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';
import { DecodeError } from '../otlp/errors';
import { encodeExportResponse, encodeStatus, exportResponseJson } from '../otlp/service';
import { grpcCodeFor, httpStatusFor } from './answers';
import type { Encoding, ExportHandler } from './handler';
import { listenHttp } from '../net/listen';
import { oversize } from './limits';

export interface HttpReceiver {
  address: string;
  close(timeoutMs: number): Promise<void>;
}

export interface HttpReceiverOptions {
  maxMessageBytes: number;
  retryAfterSeconds: number;
}

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
  const server = createServer((req, res) => {
    serve(req, res, handler, opts).catch((err: Error) => {
      // Only reached on a bug: answer something rather than hang the client.
      if (!res.headersSent) res.writeHead(500).end(err.message);
    });
  });
  server.keepAliveTimeout = 65_000;
  // A sender trickling a body holds an admission slot: bound how long a request may take to arrive.
  server.requestTimeout = 60_000;
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
  let release: (() => void) | undefined;
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
    );
    let body = await readBody(req, opts.maxMessageBytes);
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
    answerError(req, res, err, encoding, opts.retryAfterSeconds);
  } finally {
    release?.();
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume(); // drain the rest so the answer reaches the client
        reject(oversize(size, limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.on('error', () => reject(new DecodeError('request body aborted', 'aborted')));
  });
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
function answerError(req: IncomingMessage, res: ServerResponse, err: unknown, encoding: Encoding, retryAfter: number) {
  const status = httpStatusFor(err);
  const code = grpcCodeFor(err);
  const message = err instanceof Error ? err.message : String(err);
  const body = encoding === 'json' ? Buffer.from(JSON.stringify({ code, message })) : encodeStatus(code, message);
  const headers: Record<string, string | number> = {
    'content-type': contentTypeOf(encoding),
    'content-length': body.length,
  };
  if (status === 429 || status === 503) headers['retry-after'] = retryAfter;
  if (!req.complete) headers.connection = 'close';
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
