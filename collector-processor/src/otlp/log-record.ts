import type { LogRecord } from './types';

/**
 * A LogRecord with every field at its proto3 default and `fields` over them: for the places that
 * make records (the CLI's line reader, benchmarks, tests). The decoder builds its own literal.
 */
export function logRecordOf(fields: Partial<LogRecord> = {}): LogRecord {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: new Uint8Array(0),
    spanId: new Uint8Array(0),
    eventName: '',
    ...fields,
  };
}
