/**
 * The OTLP logs data model as the processor holds it in memory (opentelemetry-proto
 * `logs/v1`, `common/v1`, `resource/v1`). 64-bit integers stay exact as bigint so that a record
 * leaves exactly as it came.
 */
export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: bigint;
  doubleValue?: number;
  arrayValue?: { values: AnyValue[] };
  kvlistValue?: { values: KeyValue[] };
  bytesValue?: Uint8Array;
}

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface LogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body?: AnyValue;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
  /** 16 bytes, or empty when unset. */
  traceId: Uint8Array;
  /** 8 bytes, or empty when unset. */
  spanId: Uint8Array;
  eventName: string;
  /** Fields this build does not know (newer proto versions), kept as raw wire bytes and re-emitted. */
  unknownFields?: Uint8Array;
  /**
   * The record's protobuf bytes as received (a view onto the request) and how many attributes they
   * hold. The encoder writes these bytes and then only the attributes added since (protobuf merges a
   * repeated field's entries wherever they appear), instead of re-encoding every field. Attributes
   * may only be appended while it is set: a stage that changes anything else deletes `wire`.
   */
  wire?: Uint8Array;
  wireAttributes?: number;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  /** Fields this build does not know (newer proto versions), kept as raw wire bytes and re-emitted. */
  unknownFields?: Uint8Array;
}

export interface ScopeLogs {
  scope?: InstrumentationScope;
  logRecords: LogRecord[];
  schemaUrl: string;
  /** Fields this build does not know (newer proto versions), kept as raw wire bytes and re-emitted. */
  unknownFields?: Uint8Array;
}

export interface Resource {
  attributes: KeyValue[];
  droppedAttributesCount: number;
  /** Fields this build does not know (newer proto versions), kept as raw wire bytes and re-emitted. */
  unknownFields?: Uint8Array;
}

export interface ResourceLogs {
  resource?: Resource;
  scopeLogs: ScopeLogs[];
  schemaUrl: string;
  /** Fields this build does not know (newer proto versions), kept as raw wire bytes and re-emitted. */
  unknownFields?: Uint8Array;
}

/** Body of `ExportLogsServiceRequest`. */
export interface LogsData {
  resourceLogs: ResourceLogs[];
}
