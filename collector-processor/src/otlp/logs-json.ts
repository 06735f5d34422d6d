/**
 * OTLP/JSON for logs (the OTLP spec's JSON mapping of protobuf): lowerCamelCase field names (the
 * original snake_case names are accepted too), trace/span ids as hex, 64-bit integers as decimal
 * strings (numbers accepted), bytes as base64, enums as numbers. Decoding validates types and
 * names the path of the first offending field.
 */
import { DecodeError } from './errors';
import { DEFAULT_MAX_VALUE_DEPTH, type DecodeOptions, type Decoded } from './logs-decode';
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

type Json = Record<string, unknown>;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode an ExportLogsServiceRequest in OTLP/JSON from raw bytes (UTF-8 checked). */
export function decodeLogsRequestJson(buf: Uint8Array, opts: DecodeOptions = {}): Decoded {
  const maxDepth = opts.maxValueDepth ?? DEFAULT_MAX_VALUE_DEPTH;
  // Refused before JSON.parse: parsing a body of a million nested arrays takes seconds of the event loop.
  if (jsonNesting(buf, maxJsonNesting(maxDepth)) < 0)
    throw new DecodeError(`JSON nested deeper than attribute values of ${maxDepth} levels can be`, 'too-deep');
  let text: string;
  try {
    text = strictUtf8.decode(buf);
  } catch {
    throw new DecodeError('request body is not valid UTF-8', 'invalid-utf8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new DecodeError(`malformed JSON: ${(e as Error).message}`);
  }
  return decodeLogsJson(parsed, opts);
}

export function decodeLogsJson(input: unknown, opts: DecodeOptions = {}): Decoded {
  const d = new JsonDecoder(opts.maxValueDepth ?? DEFAULT_MAX_VALUE_DEPTH);
  const root = obj(input, '');
  const data: LogsData = {
    resourceLogs: arr(field(root, 'resourceLogs', 'resource_logs'), 'resourceLogs').map((x, i) =>
      d.resourceLogs(x, `resourceLogs[${i}]`),
    ),
  };
  return { data, recordCount: d.records };
}

class JsonDecoder {
  records = 0;
  constructor(private readonly maxDepth: number) {}

  resourceLogs(x: unknown, path: string): ResourceLogs {
    const o = obj(x, path);
    const out: ResourceLogs = {
      scopeLogs: arr(field(o, 'scopeLogs', 'scope_logs'), `${path}.scopeLogs`).map((s, i) =>
        this.scopeLogs(s, `${path}.scopeLogs[${i}]`),
      ),
      schemaUrl: str(field(o, 'schemaUrl', 'schema_url'), `${path}.schemaUrl`),
    };
    const res = o.resource;
    if (res !== undefined && res !== null) out.resource = this.resource(res, `${path}.resource`);
    return out;
  }

  resource(x: unknown, path: string): Resource {
    const o = obj(x, path);
    return {
      attributes: this.keyValues(o.attributes, `${path}.attributes`, 0),
      droppedAttributesCount: uint(
        field(o, 'droppedAttributesCount', 'dropped_attributes_count'),
        `${path}.droppedAttributesCount`,
      ),
    };
  }

  scopeLogs(x: unknown, path: string): ScopeLogs {
    const o = obj(x, path);
    const out: ScopeLogs = {
      logRecords: arr(field(o, 'logRecords', 'log_records'), `${path}.logRecords`).map((r, i) =>
        this.logRecord(r, `${path}.logRecords[${i}]`),
      ),
      schemaUrl: str(field(o, 'schemaUrl', 'schema_url'), `${path}.schemaUrl`),
    };
    if (o.scope !== undefined && o.scope !== null) out.scope = this.scope(o.scope, `${path}.scope`);
    return out;
  }

  scope(x: unknown, path: string): InstrumentationScope {
    const o = obj(x, path);
    return {
      name: str(o.name, `${path}.name`),
      version: str(o.version, `${path}.version`),
      attributes: this.keyValues(o.attributes, `${path}.attributes`, 0),
      droppedAttributesCount: uint(
        field(o, 'droppedAttributesCount', 'dropped_attributes_count'),
        `${path}.droppedAttributesCount`,
      ),
    };
  }

  logRecord(x: unknown, path: string): LogRecord {
    const o = obj(x, path);
    this.records++;
    const out: LogRecord = {
      timeUnixNano: u64(field(o, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
      observedTimeUnixNano: u64(
        field(o, 'observedTimeUnixNano', 'observed_time_unix_nano'),
        `${path}.observedTimeUnixNano`,
      ),
      severityNumber: int32(field(o, 'severityNumber', 'severity_number'), `${path}.severityNumber`),
      severityText: str(field(o, 'severityText', 'severity_text'), `${path}.severityText`),
      attributes: this.keyValues(o.attributes, `${path}.attributes`, 0),
      droppedAttributesCount: uint(
        field(o, 'droppedAttributesCount', 'dropped_attributes_count'),
        `${path}.droppedAttributesCount`,
      ),
      flags: uint(o.flags, `${path}.flags`),
      traceId: hex(field(o, 'traceId', 'trace_id'), 16, `${path}.traceId`),
      spanId: hex(field(o, 'spanId', 'span_id'), 8, `${path}.spanId`),
      eventName: str(field(o, 'eventName', 'event_name'), `${path}.eventName`),
    };
    if (o.body !== undefined && o.body !== null) out.body = this.anyValue(o.body, `${path}.body`, 0);
    return out;
  }

  keyValues(x: unknown, path: string, depth: number): KeyValue[] {
    return arr(x, path).map((kv, i) => {
      const p = `${path}[${i}]`;
      const o = obj(kv, p);
      const value = o.value === undefined || o.value === null ? {} : this.anyValue(o.value, `${p}.value`, depth);
      return { key: str(o.key, `${p}.key`), value };
    });
  }

  anyValue(x: unknown, path: string, depth: number): AnyValue {
    if (depth > this.maxDepth) {
      throw new DecodeError(`${path}: attribute value nested deeper than ${this.maxDepth} levels`, 'too-deep');
    }
    const o = obj(x, path);
    const v = (a: string, b: string): unknown => field(o, a, b);
    if (v('stringValue', 'string_value') !== undefined)
      return { stringValue: str(v('stringValue', 'string_value'), `${path}.stringValue`) };
    if (v('boolValue', 'bool_value') !== undefined) {
      const b = v('boolValue', 'bool_value');
      if (typeof b !== 'boolean') throw bad(path + '.boolValue', 'a boolean');
      return { boolValue: b };
    }
    if (v('intValue', 'int_value') !== undefined)
      return { intValue: i64(v('intValue', 'int_value'), `${path}.intValue`) };
    if (v('doubleValue', 'double_value') !== undefined)
      return { doubleValue: dbl(v('doubleValue', 'double_value'), `${path}.doubleValue`) };
    const av = v('arrayValue', 'array_value');
    if (av !== undefined) {
      const values = arr(obj(av, `${path}.arrayValue`).values, `${path}.arrayValue.values`);
      return {
        arrayValue: { values: values.map((e, i) => this.anyValue(e, `${path}.arrayValue.values[${i}]`, depth + 1)) },
      };
    }
    const kv = v('kvlistValue', 'kvlist_value');
    if (kv !== undefined) {
      const p = `${path}.kvlistValue.values`;
      return { kvlistValue: { values: this.keyValues(obj(kv, `${path}.kvlistValue`).values, p, depth + 1) } };
    }
    const bv = v('bytesValue', 'bytes_value');
    if (bv !== undefined) return { bytesValue: b64(bv, `${path}.bytesValue`) };
    return {};
  }
}

function field(o: Json, camel: string, snake: string): unknown {
  const v = o[camel];
  return v === undefined ? o[snake] : v;
}

function bad(path: string, what: string): DecodeError {
  return new DecodeError(`${path || 'request'}: expected ${what}`);
}

function obj(x: unknown, path: string): Json {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw bad(path, 'an object');
  return x as Json;
}

function arr(x: unknown, path: string): unknown[] {
  if (x === undefined || x === null) return [];
  if (!Array.isArray(x)) throw bad(path, 'an array');
  return x;
}

/** String methods of ES2024 that Node 20 has and this project's lib setting does not declare. */
type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * A JSON escape can spell a lone surrogate (`"\ud800"`), which no UTF-8 string can hold: it becomes
 * U+FFFD here, as it does on the wire and in the store, so the service and record the processor keeps
 * are the ones it forwards (a Collector's JSON decoder replaces it the same way).
 */
function str(x: unknown, path: string): string {
  if (x === undefined || x === null) return '';
  if (typeof x !== 'string') throw bad(path, 'a string');
  return (x as WellFormed).isWellFormed() ? x : (x as WellFormed).toWellFormed();
}

function uint(x: unknown, path: string): number {
  if (x === undefined || x === null) return 0;
  const n = typeof x === 'string' && /^\d+$/.test(x) ? Number(x) : x;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) throw bad(path, 'a uint32');
  return n;
}

function int32(x: unknown, path: string): number {
  if (x === undefined || x === null) return 0;
  const n = typeof x === 'string' && /^-?\d+$/.test(x) ? Number(x) : x;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff)
    throw bad(path, 'an integer enum value');
  return n;
}

const INT_RE = /^-?\d+$/;

const I64_MIN = -(2n ** 63n);
const I64_END = 2n ** 63n;
const U64_END = 2n ** 64n;

// A JSON number is range-checked like a string: BigInt(1e300) is exact, and a fixed64 field would wrap it.
function i64(x: unknown, path: string): bigint {
  if (typeof x === 'number' && Number.isInteger(x)) {
    const v = BigInt(x);
    if (v >= I64_MIN && v < I64_END) return v;
    throw bad(path, 'a 64-bit integer (decimal string)');
  }
  if (typeof x === 'string' && INT_RE.test(x)) {
    const v = BigInt(x);
    if (v >= I64_MIN && v < I64_END) return v;
  }
  throw bad(path, 'a 64-bit integer (decimal string)');
}

function u64(x: unknown, path: string): bigint {
  if (x === undefined || x === null) return 0n;
  if (typeof x === 'number' && Number.isInteger(x) && x >= 0) {
    const v = BigInt(x);
    if (v < U64_END) return v;
  }
  if (typeof x === 'string' && /^\d+$/.test(x)) {
    const v = BigInt(x);
    if (v < U64_END) return v;
  }
  throw bad(path, 'an unsigned 64-bit integer (decimal string)');
}

function dbl(x: unknown, path: string): number {
  if (typeof x === 'number') return x;
  if (x === 'NaN') return NaN;
  if (x === 'Infinity') return Infinity;
  if (x === '-Infinity') return -Infinity;
  if (typeof x === 'string' && x.trim() !== '' && !Number.isNaN(Number(x))) return Number(x);
  throw bad(path, 'a number');
}

const HEX_RE = /^[0-9a-fA-F]*$/;

function hex(x: unknown, bytes: number, path: string): Uint8Array {
  if (x === undefined || x === null || x === '') return new Uint8Array(0);
  if (typeof x !== 'string' || x.length !== bytes * 2 || !HEX_RE.test(x)) throw bad(path, `${bytes * 2} hex digits`);
  return new Uint8Array(Buffer.from(x, 'hex'));
}

const B64_RE = /^[A-Za-z0-9+/_-]*={0,2}$/;

function b64(x: unknown, path: string): Uint8Array {
  if (typeof x !== 'string' || !B64_RE.test(x)) throw bad(path, 'base64 bytes');
  return new Uint8Array(Buffer.from(x, 'base64'));
}

// ---------------------------------------------------------------- encode

/** LogsData as an OTLP/JSON object (pass to JSON.stringify). Unknown protobuf fields have no JSON form. */
export function encodeLogsJson(data: LogsData): Json {
  return { resourceLogs: data.resourceLogs.map(resourceLogsJson) };
}

function resourceLogsJson(rl: ResourceLogs): Json {
  const o: Json = {};
  if (rl.resource) o.resource = withAttrs({}, rl.resource.attributes, rl.resource.droppedAttributesCount);
  o.scopeLogs = rl.scopeLogs.map(scopeLogsJson);
  if (rl.schemaUrl) o.schemaUrl = rl.schemaUrl;
  return o;
}

function scopeLogsJson(sl: ScopeLogs): Json {
  const o: Json = {};
  if (sl.scope) {
    const s: Json = {};
    if (sl.scope.name) s.name = sl.scope.name;
    if (sl.scope.version) s.version = sl.scope.version;
    o.scope = withAttrs(s, sl.scope.attributes, sl.scope.droppedAttributesCount);
  }
  o.logRecords = sl.logRecords.map(logRecordJson);
  if (sl.schemaUrl) o.schemaUrl = sl.schemaUrl;
  return o;
}

function withAttrs(o: Json, attributes: KeyValue[], dropped: number): Json {
  if (attributes.length) o.attributes = attributes.map(keyValueJson);
  if (dropped) o.droppedAttributesCount = dropped;
  return o;
}

function logRecordJson(lr: LogRecord): Json {
  const o: Json = {};
  if (lr.timeUnixNano) o.timeUnixNano = lr.timeUnixNano.toString();
  if (lr.observedTimeUnixNano) o.observedTimeUnixNano = lr.observedTimeUnixNano.toString();
  if (lr.severityNumber) o.severityNumber = lr.severityNumber;
  if (lr.severityText) o.severityText = lr.severityText;
  if (lr.body) o.body = anyValueJson(lr.body);
  withAttrs(o, lr.attributes, lr.droppedAttributesCount);
  if (lr.flags) o.flags = lr.flags;
  if (lr.traceId.length) o.traceId = Buffer.from(lr.traceId).toString('hex');
  if (lr.spanId.length) o.spanId = Buffer.from(lr.spanId).toString('hex');
  if (lr.eventName) o.eventName = lr.eventName;
  return o;
}

function keyValueJson(kv: KeyValue): Json {
  return { key: kv.key, value: anyValueJson(kv.value) };
}

function anyValueJson(v: AnyValue): Json {
  if (v.stringValue !== undefined) return { stringValue: v.stringValue };
  if (v.boolValue !== undefined) return { boolValue: v.boolValue };
  if (v.intValue !== undefined) return { intValue: v.intValue.toString() };
  if (v.doubleValue !== undefined) {
    const d = v.doubleValue;
    return { doubleValue: Number.isFinite(d) ? d : String(d) };
  }
  if (v.arrayValue) return { arrayValue: { values: v.arrayValue.values.map(anyValueJson) } };
  if (v.kvlistValue) return { kvlistValue: { values: v.kvlistValue.values.map(keyValueJson) } };
  if (v.bytesValue) return { bytesValue: Buffer.from(v.bytesValue).toString('base64') };
  return {};
}

/** Containers around the shallowest value (request → resourceLogs → … → a record's attributes entry). */
const OTLP_JSON_BASE_NESTING = 12;
/** Containers an AnyValue level adds at most: `{"arrayValue": {"values": [ … ]}}` or a kvlist's entry. */
const JSON_NESTING_PER_VALUE_LEVEL = 4;

/** Deepest nesting of `{`/`[` an OTLP/JSON request with values at most `maxValueDepth` deep can have. */
export function maxJsonNesting(maxValueDepth: number): number {
  return OTLP_JSON_BASE_NESTING + JSON_NESTING_PER_VALUE_LEVEL * (maxValueDepth + 1);
}

/**
 * The deepest `{`/`[` nesting of the JSON text in `buf` (strings skipped), or -1 as soon as it
 * passes `limit`. One pass over the bytes, no allocation; malformed JSON is left to JSON.parse.
 */
export function jsonNesting(buf: Uint8Array, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return -1;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}
