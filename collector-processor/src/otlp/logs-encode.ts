/**
 * OTLP logs protobuf encoder: the in-memory model to an `ExportLogsServiceRequest` (the decoder is
 * logs-decode.ts). A record decoded with its received bytes (LogRecord.wire) is written by copying
 * them and appending only the attributes added since; unknown fields the decoder kept are written
 * back out.
 */
import * as reader from './proto-reader';
import * as tags from './proto-tags';
import * as writer from './proto-writer';
import { ProtoWriter, SizeCache } from './proto-writer';
import type {
  AnyValue,
  InstrumentationScope,
  KeyValue,
  LogRecord,
  LogsData,
  Resource,
  ResourceLogs,
  ScopeLogs,
} from './types';

// Bound once: in CommonJS, as both tsx and the esbuild build in dist/ emit it, every use of a named
// import is a getter call on the module object (esbuild's re-export getters), which V8 does not
// inline; per field and per record that is a measurable share of the codec's time (bench/import-binding.ts).
const { WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } = reader;
const { tag, T_LEN1, T_LEN2, T_LEN3 } = tags;
const { int64Size, utf8Length, varintSize } = writer;

/**
 * The measured lengths of every encode: encodeLogsRequest and encodedKeyValue are synchronous and
 * neither runs inside the other, so one cache serves both in turn.
 */
const sizes = new SizeCache();

/**
 * A scope's records already encoded (encodeRecordFields): their fields in the ScopeLogs, in order,
 * all of them. The encoder copies these bytes instead of measuring and writing record by record.
 */
export type EncodedRecords = ReadonlyMap<ScopeLogs, readonly Uint8Array[]>;

/** The scopes whose records an encode in progress copies (encodeLogsRequest is synchronous). */
let encodedRecords: EncodedRecords | undefined;

/**
 * Encode LogsData as an ExportLogsServiceRequest. The records of a scope in `encoded` are written
 * from its bytes: the same request as encoding them, in a copy.
 */
export function encodeLogsRequest(data: LogsData, encoded?: EncodedRecords): Buffer {
  const c = sizes;
  c.reset();
  encodedRecords = encoded;
  try {
    let total = 0;
    for (const rl of data.resourceLogs) total += nested(c, measureResourceLogs, rl);
    const w = new ProtoWriter(total, c);
    for (const rl of data.resourceLogs) {
      w.tag(T_LEN1);
      w.beginMessage();
      writeResourceLogs(w, rl);
    }
    if (w.pos !== total) throw new Error(`encoder size mismatch: wrote ${w.pos} of ${total}`);
    return w.buf;
  } finally {
    encodedRecords = undefined;
  }
}

/**
 * The records of each scope of `data`, in order, encoded as the scope's log_records fields (tag,
 * length, record) the way encodeLogsRequest writes them: one view per scope onto one buffer. A large
 * request annotated a slice per turn (chain/pipeline.ts) has its records encoded so, a slice per
 * turn, and the request is then put together from these bytes (EncodedRecords).
 */
export function encodeRecordFields(data: LogsData): Uint8Array[] {
  const c = sizes;
  c.reset();
  let total = 0;
  for (const rl of data.resourceLogs)
    for (const sl of rl.scopeLogs) for (const lr of sl.logRecords) total += nested(c, measureLogRecord, lr);
  const w = new ProtoWriter(total, c);
  const out: Uint8Array[] = [];
  for (const rl of data.resourceLogs)
    for (const sl of rl.scopeLogs) {
      const start = w.pos;
      for (const lr of sl.logRecords) {
        w.tag(T_LEN2);
        w.beginMessage();
        writeLogRecord(w, lr);
      }
      out.push(w.buf.subarray(start, w.pos));
    }
  if (w.pos !== total) throw new Error(`encoder size mismatch: wrote ${w.pos} of ${total}`);
  return out;
}

/** Measure a nested message field (1-byte tag): reserves its length slot before its children. */
function nested<T>(c: SizeCache, measure: (c: SizeCache, m: T) => number, m: T): number {
  const slot = c.reserve();
  const n = measure(c, m);
  c.sizes[slot] = n;
  return 1 + varintSize(n) + n;
}

function str(c: SizeCache, s: string): number {
  const n = utf8Length(s);
  c.push(n);
  return 1 + varintSize(n) + n;
}

function measureResourceLogs(c: SizeCache, rl: ResourceLogs): number {
  let n = 0;
  if (rl.resource) n += nested(c, measureResource, rl.resource);
  for (const sl of rl.scopeLogs) n += nested(c, measureScopeLogs, sl);
  if (rl.schemaUrl) n += str(c, rl.schemaUrl);
  return n + (rl.unknownFields?.length ?? 0);
}

function writeResourceLogs(w: ProtoWriter, rl: ResourceLogs): void {
  if (rl.resource) {
    w.tag(T_LEN1);
    w.beginMessage();
    writeResource(w, rl.resource);
  }
  for (const sl of rl.scopeLogs) {
    w.tag(T_LEN2);
    w.beginMessage();
    writeScopeLogs(w, sl);
  }
  if (rl.schemaUrl) {
    w.tag(T_LEN3);
    w.string(rl.schemaUrl);
  }
  if (rl.unknownFields) w.raw(rl.unknownFields);
}

function measureResource(c: SizeCache, res: Resource): number {
  let n = 0;
  for (const kv of res.attributes) n += nested(c, measureKeyValue, kv);
  if (res.droppedAttributesCount) n += 1 + varintSize(res.droppedAttributesCount);
  return n + (res.unknownFields?.length ?? 0);
}

function writeResource(w: ProtoWriter, res: Resource): void {
  writeKeyValues(w, T_LEN1, res.attributes);
  if (res.droppedAttributesCount) {
    w.tag(tag(2, WIRE_VARINT));
    w.uint32(res.droppedAttributesCount);
  }
  if (res.unknownFields) w.raw(res.unknownFields);
}

function measureScopeLogs(c: SizeCache, sl: ScopeLogs): number {
  let n = 0;
  if (sl.scope) n += nested(c, measureScope, sl.scope);
  const encoded = encodedRecords?.get(sl);
  if (encoded) for (const bytes of encoded) n += bytes.length;
  else for (const lr of sl.logRecords) n += nested(c, measureLogRecord, lr);
  if (sl.schemaUrl) n += str(c, sl.schemaUrl);
  return n + (sl.unknownFields?.length ?? 0);
}

function writeScopeLogs(w: ProtoWriter, sl: ScopeLogs): void {
  if (sl.scope) {
    w.tag(T_LEN1);
    w.beginMessage();
    writeScope(w, sl.scope);
  }
  const encoded = encodedRecords?.get(sl);
  if (encoded) for (const bytes of encoded) w.raw(bytes);
  else
    for (const lr of sl.logRecords) {
      w.tag(T_LEN2);
      w.beginMessage();
      writeLogRecord(w, lr);
    }
  if (sl.schemaUrl) {
    w.tag(T_LEN3);
    w.string(sl.schemaUrl);
  }
  if (sl.unknownFields) w.raw(sl.unknownFields);
}

function measureScope(c: SizeCache, s: InstrumentationScope): number {
  let n = 0;
  if (s.name) n += str(c, s.name);
  if (s.version) n += str(c, s.version);
  for (const kv of s.attributes) n += nested(c, measureKeyValue, kv);
  if (s.droppedAttributesCount) n += 1 + varintSize(s.droppedAttributesCount);
  return n + (s.unknownFields?.length ?? 0);
}

function writeScope(w: ProtoWriter, s: InstrumentationScope): void {
  if (s.name) {
    w.tag(T_LEN1);
    w.string(s.name);
  }
  if (s.version) {
    w.tag(T_LEN2);
    w.string(s.version);
  }
  writeKeyValues(w, T_LEN3, s.attributes);
  if (s.droppedAttributesCount) {
    w.tag(tag(4, WIRE_VARINT));
    w.uint32(s.droppedAttributesCount);
  }
  if (s.unknownFields) w.raw(s.unknownFields);
}

function enumSize(v: number): number {
  return v < 0 ? 10 : varintSize(v);
}

/** The record's received bytes, if it still has them and only gained attributes since (LogRecord.wire). */
function wireOf(lr: LogRecord): Uint8Array | undefined {
  return lr.wire && lr.attributes.length >= lr.wireAttributes! ? lr.wire : undefined;
}

function measureLogRecord(c: SizeCache, lr: LogRecord): number {
  const wire = wireOf(lr);
  if (wire) {
    let added = wire.length;
    for (let i = lr.wireAttributes!; i < lr.attributes.length; i++)
      added += nested(c, measureKeyValue, lr.attributes[i]);
    return added;
  }
  let n = 0;
  if (lr.timeUnixNano) n += 9;
  if (lr.severityNumber) n += 1 + enumSize(lr.severityNumber);
  if (lr.severityText) n += str(c, lr.severityText);
  if (lr.body) n += nested(c, measureAnyValue, lr.body);
  for (const kv of lr.attributes) n += nested(c, measureKeyValue, kv);
  if (lr.droppedAttributesCount) n += 1 + varintSize(lr.droppedAttributesCount);
  if (lr.flags) n += 5;
  if (lr.traceId.length) n += 1 + varintSize(lr.traceId.length) + lr.traceId.length;
  if (lr.spanId.length) n += 1 + varintSize(lr.spanId.length) + lr.spanId.length;
  if (lr.observedTimeUnixNano) n += 9;
  if (lr.eventName) n += str(c, lr.eventName);
  return n + (lr.unknownFields?.length ?? 0);
}

function writeLogRecord(w: ProtoWriter, lr: LogRecord): void {
  const wire = wireOf(lr);
  if (wire) {
    w.raw(wire);
    writeKeyValues(w, tag(6, WIRE_LEN), lr.attributes, lr.wireAttributes);
    return;
  }
  if (lr.timeUnixNano) {
    w.tag(tag(1, WIRE_I64));
    w.fixed64(lr.timeUnixNano);
  }
  if (lr.severityNumber) {
    w.tag(tag(2, WIRE_VARINT));
    if (lr.severityNumber < 0) w.int64(BigInt(lr.severityNumber));
    else w.uint32(lr.severityNumber);
  }
  if (lr.severityText) {
    w.tag(tag(3, WIRE_LEN));
    w.string(lr.severityText);
  }
  if (lr.body) {
    w.tag(tag(5, WIRE_LEN));
    w.beginMessage();
    writeAnyValue(w, lr.body);
  }
  writeKeyValues(w, tag(6, WIRE_LEN), lr.attributes);
  if (lr.droppedAttributesCount) {
    w.tag(tag(7, WIRE_VARINT));
    w.uint32(lr.droppedAttributesCount);
  }
  if (lr.flags) {
    w.tag(tag(8, WIRE_I32));
    w.fixed32(lr.flags);
  }
  if (lr.traceId.length) {
    w.tag(tag(9, WIRE_LEN));
    w.bytes(lr.traceId);
  }
  if (lr.spanId.length) {
    w.tag(tag(10, WIRE_LEN));
    w.bytes(lr.spanId);
  }
  if (lr.observedTimeUnixNano) {
    w.tag(tag(11, WIRE_I64));
    w.fixed64(lr.observedTimeUnixNano);
  }
  if (lr.eventName) {
    w.tag(tag(12, WIRE_LEN));
    w.string(lr.eventName);
  }
  if (lr.unknownFields) w.raw(lr.unknownFields);
}

/** Where encodedKeyValue keeps a KeyValue's message body: a symbol, and not enumerable. */
const KV_BYTES = Symbol('anomalog.keyValueBytes');

type EncodedKeyValue = KeyValue & { readonly [KV_BYTES]?: Uint8Array };

/**
 * Encodes the KeyValue's message body (key and value fields) once and keeps it on the object, so the
 * encoder copies those bytes instead of measuring and writing both strings again: for a KeyValue
 * shared by many records, e.g. the template id and text attributes the attributes stage adds to
 * every record of a template. The KeyValue must not change afterwards. Not enumerable: the object
 * still equals (and serialises as) the plain KeyValue.
 */
export function encodedKeyValue(kv: KeyValue): KeyValue {
  const c = sizes;
  c.reset();
  const n = measureKeyValue(c, kv);
  const w = new ProtoWriter(n, c);
  writeKeyValueBody(w, kv);
  if (w.pos !== n) throw new Error(`encoder size mismatch: wrote ${w.pos} of ${n}`);
  Object.defineProperty(kv, KV_BYTES, { value: w.buf, enumerable: false });
  return kv;
}

function measureKeyValue(c: SizeCache, kv: KeyValue): number {
  const bytes = (kv as EncodedKeyValue)[KV_BYTES];
  if (bytes !== undefined) return bytes.length;
  let n = 0;
  if (kv.key) n += str(c, kv.key);
  n += nested(c, measureAnyValue, kv.value);
  return n;
}

function writeKeyValues(w: ProtoWriter, fieldTag: number, kvs: KeyValue[], from = 0): void {
  for (let i = from; i < kvs.length; i++) {
    const kv = kvs[i];
    w.tag(fieldTag);
    w.beginMessage();
    const bytes = (kv as EncodedKeyValue)[KV_BYTES];
    if (bytes !== undefined) w.raw(bytes);
    else writeKeyValueBody(w, kv);
  }
}

function writeKeyValueBody(w: ProtoWriter, kv: KeyValue): void {
  if (kv.key) {
    w.tag(T_LEN1);
    w.string(kv.key);
  }
  w.tag(T_LEN2);
  w.beginMessage();
  writeAnyValue(w, kv.value);
}

function measureAnyValue(c: SizeCache, v: AnyValue): number {
  if (v.stringValue !== undefined) return str(c, v.stringValue);
  if (v.boolValue !== undefined) return 2;
  if (v.intValue !== undefined) return 1 + int64Size(v.intValue);
  if (v.doubleValue !== undefined) return 9;
  if (v.arrayValue) return nested(c, measureArray, v.arrayValue.values);
  if (v.kvlistValue) return nested(c, measureKvlist, v.kvlistValue.values);
  if (v.bytesValue) return 1 + varintSize(v.bytesValue.length) + v.bytesValue.length;
  return 0;
}

function measureArray(c: SizeCache, values: AnyValue[]): number {
  let n = 0;
  for (const v of values) n += nested(c, measureAnyValue, v);
  return n;
}

function measureKvlist(c: SizeCache, values: KeyValue[]): number {
  let n = 0;
  for (const kv of values) n += nested(c, measureKeyValue, kv);
  return n;
}

function writeAnyValue(w: ProtoWriter, v: AnyValue): void {
  if (v.stringValue !== undefined) {
    w.tag(tag(1, WIRE_LEN));
    w.string(v.stringValue);
  } else if (v.boolValue !== undefined) {
    w.tag(tag(2, WIRE_VARINT));
    w.uint32(v.boolValue ? 1 : 0);
  } else if (v.intValue !== undefined) {
    w.tag(tag(3, WIRE_VARINT));
    w.int64(v.intValue);
  } else if (v.doubleValue !== undefined) {
    w.tag(tag(4, WIRE_I64));
    w.double(v.doubleValue);
  } else if (v.arrayValue) {
    w.tag(tag(5, WIRE_LEN));
    w.beginMessage();
    for (const x of v.arrayValue.values) {
      w.tag(T_LEN1);
      w.beginMessage();
      writeAnyValue(w, x);
    }
  } else if (v.kvlistValue) {
    w.tag(tag(6, WIRE_LEN));
    w.beginMessage();
    writeKeyValues(w, T_LEN1, v.kvlistValue.values);
  } else if (v.bytesValue) {
    w.tag(tag(7, WIRE_LEN));
    w.bytes(v.bytesValue);
  }
}
