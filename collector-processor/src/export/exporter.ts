import type { ExportResponse } from '../otlp/service';

/**
 * Sends one encoded ExportLogsServiceRequest downstream. Resolves once the downstream accepted
 * it (possibly partially); rejects with a ProcessingError: 'downstream-unavailable' (retryable)
 * or 'downstream-rejected' (the downstream's non-retryable answer).
 */
export interface LogsExporter {
  /** Human-readable target for the start-up log. */
  readonly target: string;
  export(request: Buffer): Promise<ExportResponse>;
  close(): Promise<void>;
}

/**
 * ProcessingError reason of a downstream's "message larger than my limit" answer: the sized exporter
 * splits that request further rather than passing the answer up.
 */
export const DOWNSTREAM_TOO_LARGE = 'downstream-too-large';

/** No downstream configured: every request is answered with success at once. */
export function createNullExporter(): LogsExporter {
  return {
    target: 'none',
    export: () => Promise.resolve({}),
    close: () => Promise.resolve(),
  };
}
