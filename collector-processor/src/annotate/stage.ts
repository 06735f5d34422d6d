import type { LogsData, LogRecord, ResourceLogs, ScopeLogs } from '../otlp/types';

/** One export request on its way through the processor. */
export interface LogBatch {
  readonly data: LogsData;
  readonly recordCount: number;
  /** Wall-clock ms when the request was accepted. */
  readonly receivedAtMs: number;
}

/**
 * A step of the annotation chain (parse → features → detect → annotate). A stage may only add
 * attributes to records; it never drops or reorders them. Stages run in order, once per batch.
 */
export interface AnnotationStage {
  readonly name: string;
  process(batch: LogBatch): void | Promise<void>;
  /** Persist state / release resources on shutdown. */
  close?(): void | Promise<void>;
}

/** Visit every record of a batch in order, with the resource and scope it belongs to. */
export function forEachRecord(
  data: LogsData,
  visit: (record: LogRecord, resource: ResourceLogs, scope: ScopeLogs) => void,
): void {
  for (const rl of data.resourceLogs) {
    for (const sl of rl.scopeLogs) {
      for (const record of sl.logRecords) visit(record, rl, sl);
    }
  }
}
