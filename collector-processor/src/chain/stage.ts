import type { LogsData, LogRecord, ResourceLogs, ScopeLogs } from '../otlp/types';

/**
 * What the stages learn about one record, in record order. The parse stage fills the template
 * fields, the detect stage the score fields; the attribute stage at the end of the chain writes
 * whatever is set onto the record as `log.template.*` / `anomaly.*` attributes.
 */
export interface RecordFacts {
  service: string;
  message: string;
  severityNumber: number;
  templateId?: string;
  template?: string;
  /** The miner created the template for this record. */
  newTemplate?: boolean;
  /**
   * Whitespace tokens of the message (detect-stage's tokenCount), when the miner's scan counted them
   * already; undefined: the detect stage counts them itself.
   */
  tokens?: number;
  /** The record's time in ms (recordTimeMs), when the parse stage took it already. */
  timeMs?: number;
  sessionId?: string;
  score?: number;
  isAnomaly?: boolean;
  detector?: string;
  reason?: string;
  /** True while the service's models are learning: passed through without a score. */
  unscored?: boolean;
}

/** One export request on its way through the processor. */
export interface LogBatch {
  readonly data: LogsData;
  readonly recordCount: number;
  /** Wall-clock ms when the request was accepted. */
  readonly receivedAtMs: number;
  /** Per-record facts, index = position of the record in `forEachRecord` order. Empty until a stage fills it. */
  readonly facts: RecordFacts[];
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
  visit: (record: LogRecord, resource: ResourceLogs, scope: ScopeLogs, index: number) => void,
): void {
  let index = 0;
  for (const rl of data.resourceLogs) {
    for (const sl of rl.scopeLogs) {
      for (const record of sl.logRecords) visit(record, rl, sl, index++);
    }
  }
}
