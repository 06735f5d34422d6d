import * as http from 'node:http';
import * as https from 'node:https';
import { gzipSync } from 'node:zlib';
import { ProcessingError } from '../otlp/errors';
import { decodeExportResponse, decodeStatus, type ExportResponse } from '../otlp/service';
import { RETRYABLE_HTTP } from '../otlp/retryable';
import { DOWNSTREAM_TOO_LARGE, type LogsExporter } from './exporter';
import { tlsMaterial, type ExporterSettings } from '../net/target';

/** OTLP/HTTP (protobuf) client: POST {endpoint}/v1/logs with keep-alive. */
export function createHttpExporter(cfg: ExporterSettings): LogsExporter {
  const tls = tlsMaterial(cfg);
  let base = cfg.endpoint ?? '';
  if (!/^https?:\/\//i.test(base)) base = `${tls ? 'https' : 'http'}://${base}`;
  const url = new URL(base);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/logs';
  const secure = url.protocol === 'https:';
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        ca: tls?.ca,
        cert: tls?.cert,
        key: tls?.key,
        rejectUnauthorized: tls?.rejectUnauthorized ?? true,
      })
    : new http.Agent({ keepAlive: true });
  const send = secure ? https.request : http.request;

  return {
    target: url.toString(),
    export(request: Buffer): Promise<ExportResponse> {
      const body = cfg.compression === 'gzip' ? gzipSync(request) : request;
      const headers: Record<string, string | number> = {
        ...cfg.headers,
        'content-type': 'application/x-protobuf',
        'content-length': body.length,
      };
      if (cfg.compression === 'gzip') headers['content-encoding'] = 'gzip';
      return new Promise((resolve, reject) => {
        const req = send(url, { method: 'POST', agent, headers, timeout: cfg.timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(unavailable(`response aborted: ${err.message}`)));
          res.on('end', () => {
            const payload = Buffer.concat(chunks);
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              try {
                resolve(payload.length ? decodeExportResponse(payload) : {});
              } catch {
                resolve({}); // accepted; an unreadable success body does not un-accept the data
              }
            } else reject(httpError(status, payload));
          });
        });
        req.on('timeout', () => req.destroy(new Error(`no answer within ${cfg.timeoutMs} ms`)));
        req.on('error', (err) => reject(unavailable(err.message)));
        req.end(body);
      });
    },
    close: () => {
      agent.destroy();
      return Promise.resolve();
    },
  };
}

function unavailable(message: string): ProcessingError {
  return new ProcessingError('downstream-unavailable', `downstream unavailable: ${message}`, 'downstream-unavailable');
}

function httpError(status: number, payload: Buffer): ProcessingError {
  let detail = payload.toString('utf8', 0, Math.min(payload.length, 512));
  try {
    const s = decodeStatus(payload);
    if (s.message) detail = s.message;
  } catch {
    // not a Status message: keep the text
  }
  if (status === 413) {
    return new ProcessingError(
      'downstream-rejected',
      `downstream refused the request as too large (HTTP 413): ${detail}`,
      DOWNSTREAM_TOO_LARGE,
      { httpStatus: status },
    );
  }
  if (RETRYABLE_HTTP.has(status)) {
    return new ProcessingError(
      'downstream-unavailable',
      `downstream answered ${status}: ${detail}`,
      `downstream-http-${status}`,
    );
  }
  return new ProcessingError(
    'downstream-rejected',
    `downstream rejected the request (HTTP ${status}): ${detail}`,
    'downstream-rejected',
    {
      httpStatus: status,
    },
  );
}
