import type { LogsData, LogRecord, ResourceLogs, ScopeLogs } from '../otlp/types';
import { annotationsOf, Parsed, Verdicts, type RecordAnnotations } from './outputs';

/** One export request on its way through the processor. */
export interface LogBatch {
  readonly data: LogsData;
  readonly recordCount: number;
  /** Wall-clock ms when the request was accepted. */
  readonly receivedAtMs: number;
  /** The parse stage's output, index = position of the record in `forEachRecord` order; no record has one until it ran. */
  readonly parsed: Parsed;
  /** The detect stage's output, by the same index; every record NOT_SCORED until it ran. */
  readonly verdicts: Verdicts;
}

/** A batch of `recordCount` records that no stage has seen yet. */
export function newBatch(data: LogsData, recordCount: number, receivedAtMs: number): LogBatch {
  return { data, recordCount, receivedAtMs, parsed: new Parsed(recordCount), verdicts: new Verdicts(recordCount) };
}

/** Every record's annotations so far, as plain objects (CLI, benchmarks, tests). */
export function batchAnnotations(batch: LogBatch): RecordAnnotations[] {
  return annotationsOf(batch.parsed, batch.verdicts);
}

/**
 * A step of the annotation chain (parse → detect → attributes). A stage may only add
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
  visit: (record: LogRecord, resource: ResourceLogs, scope: ScopeLogs, index: number) => void,
): void {
  let index = 0;
  for (const rl of data.resourceLogs) {
    for (const sl of rl.scopeLogs) {
      for (const record of sl.logRecords) visit(record, rl, sl, index++);
    }
  }
}
