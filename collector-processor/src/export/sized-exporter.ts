import { ProcessingError } from '../otlp/errors';
import type { ExportResponse } from '../otlp/service';
import { DOWNSTREAM_TOO_LARGE, type LogsExporter } from './exporter';
import { splitLogsRequest } from './split';

/**
 * Keeps every request sent downstream within `maxBytes`: larger ones (annotations grow a request)
 * are split on the wire and sent one after another. A downstream whose limit is lower still answers
 * "too large" (gRPC RESOURCE_EXHAUSTED, HTTP 413): that piece is halved and sent again, down to one
 * record; a record too large on its own is dropped, counted in the answer's partial success and its
 * `tooLargeRecords`, rather than refused as retryable forever. If a later piece fails otherwise, the
 * whole request fails and is retried upstream: the pieces already sent arrive twice (at least once).
 */
export function createSizedExporter(inner: LogsExporter, maxBytes: number): LogsExporter {
  const send = async (request: Buffer): Promise<ExportResponse> => {
    try {
      return await inner.export(request);
    } catch (err) {
      if (!(err instanceof ProcessingError && err.reason === DOWNSTREAM_TOO_LARGE)) throw err;
      const split = splitLogsRequest(request, Math.floor(request.length / 2), 'alone');
      if (split.parts.length <= 1) return dropped(split.parts[0]?.records ?? 0, err.message);
      return sendAll(split.parts.map((p) => p.bytes));
    }
  };
  const sendAll = async (parts: Buffer[]): Promise<ExportResponse> => {
    let merged: ExportResponse = {};
    for (const part of parts) merged = merge(merged, await send(part));
    return merged;
  };
  return {
    target: inner.target,
    async export(request) {
      if (request.length <= maxBytes) return send(request);
      const split = splitLogsRequest(request, maxBytes, 'drop');
      const res = await sendAll(split.parts.map((p) => p.bytes));
      if (split.tooLarge === 0) return res;
      return merge(
        res,
        dropped(split.tooLarge, `larger than exporter.maxRequestMiB (${maxBytes} bytes) with its resource and scope`),
      );
    },
    close: () => inner.close(),
  };
}

function dropped(records: number, why: string): ExportResponse {
  return {
    partialSuccess: {
      rejectedLogRecords: BigInt(records),
      errorMessage: `${records} log record(s) dropped as too large to send: ${why}`,
    },
    tooLargeRecords: records,
  };
}

function merge(a: ExportResponse, b: ExportResponse): ExportResponse {
  if (!a.partialSuccess && !b.partialSuccess) return {};
  const messages = [a.partialSuccess?.errorMessage, b.partialSuccess?.errorMessage].filter(Boolean);
  const tooLarge = (a.tooLargeRecords ?? 0) + (b.tooLargeRecords ?? 0);
  return {
    partialSuccess: {
      rejectedLogRecords: (a.partialSuccess?.rejectedLogRecords ?? 0n) + (b.partialSuccess?.rejectedLogRecords ?? 0n),
      errorMessage: messages.join('; '),
    },
    ...(tooLarge ? { tooLargeRecords: tooLarge } : {}),
  };
}
