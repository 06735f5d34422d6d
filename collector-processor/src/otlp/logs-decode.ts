/**
 * OTLP logs protobuf decoder: `ExportLogsServiceRequest` (= LogsData: field 1, repeated ResourceLogs)
 * to the in-memory model (the encoder is logs-encode.ts). Field numbers are those of opentelemetry-proto
 * (logs/v1/logs.proto, common/v1/common.proto, resource/v1/resource.proto). Fields this build does
 * not know are kept as raw bytes on the message that held them, so the encoder writes them back out
 * and a newer sender's data passes through intact.
 */
import { DecodeError } from './errors';
import * as reader from './proto-reader';
import { ProtoReader } from './proto-reader';
import * as tags from './proto-tags';
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
const { WIRE_VARINT } = reader;
const { tag, T_LEN1, T_LEN2, T_LEN3 } = tags;

export interface DecodeOptions {
  /** Deepest nesting of AnyValue (arrays / kvlists in values) accepted. */
  maxValueDepth?: number;
  /**
   * Keep each record's received bytes (LogRecord.wire) so re-encoding it copies them and appends
   * only added attributes: the receive path of the processor, which annotates and forwards.
   */
  keepWire?: boolean;
}

export interface Decoded {
  data: LogsData;
  recordCount: number;
}

export const DEFAULT_MAX_VALUE_DEPTH = 32;

class Decoder {
  records = 0;
  constructor(
    private readonly r: ProtoReader,
    private readonly maxDepth: number,
    private readonly keepWire: boolean,
  ) {}

  /** Records an unknown field's bytes [start, r.pos) into `acc` (allocated only when needed). */
  private unknown(acc: number[] | undefined, start: number, t: number): number[] {
    if (t >>> 3 === 0) throw new DecodeError(`invalid field number 0 at byte ${start}`);
    this.r.skip(t & 7);
    (acc ??= []).push(start, this.r.pos);
    return acc;
  }

  private collect(acc: number[] | undefined): Uint8Array | undefined {
    if (!acc) return undefined;
    let n = 0;
    for (let i = 0; i < acc.length; i += 2) n += acc[i + 1] - acc[i];
    const out = new Uint8Array(n);
    let o = 0;
    for (let i = 0; i < acc.length; i += 2) {
      out.set(this.r.buf.subarray(acc[i], acc[i + 1]), o);
      o += acc[i + 1] - acc[i];
    }
    return out;
  }

  logsData(end: number): LogsData {
    const r = this.r;
    const resourceLogs: ResourceLogs[] = [];
    while (r.pos < end) {
      const start = r.pos;
      const t = r.uint32();
      if (t === T_LEN1) resourceLogs.push(this.resourceLogs(r.delimitedEnd()));
      else this.unknown(undefined, start, t); // request-level unknowns: nothing to attach them to
    }
    return { resourceLogs };
  }

  private resourceLogs(end: number): ResourceLogs {
    const r = this.r;
    const out: ResourceLogs = { resource: undefined, scopeLogs: [], schemaUrl: '' };
    let unknown: number[] | undefined;
    while (r.pos < end) {
      const start = r.pos;
      const t = r.uint32();
      if (t === T_LEN1) out.resource = this.resource(r.delimitedEnd());
      else if (t === T_LEN2) out.scopeLogs.push(this.scopeLogs(r.delimitedEnd()));
      else if (t === T_LEN3) out.schemaUrl = r.string();
      else unknown = this.unknown(unknown, start, t);
    }
    this.finish(end);
    if (out.resource === undefined) delete out.resource;
    if (unknown) out.unknownFields = this.collect(unknown);
    return out;
  }

  private resource(end: number): Resource {
    const r = this.r;
    const out: Resource = { attributes: [], droppedAttributesCount: 0 };
    let unknown: number[] | undefined;
    while (r.pos < end) {
      const start = r.pos;
      const t = r.uint32();
      if (t === T_LEN1) out.attributes.push(this.keyValue(r.delimitedEnd(), 0));
      else if (t === tag(2, WIRE_VARINT)) out.droppedAttributesCount = r.uint32();
      else unknown = this.unknown(unknown, start, t);
    }
    this.finish(end);
    if (unknown) out.unknownFields = this.collect(unknown);
    return out;
  }

  private scopeLogs(end: number): ScopeLogs {
    const r = this.r;
    const out: ScopeLogs = { scope: undefined, logRecords: [], schemaUrl: '' };
    let unknown: number[] | undefined;
    while (r.pos < end) {
      const start = r.pos;
      const t = r.uint32();
      if (t === T_LEN2) out.logRecords.push(this.logRecord(r.delimitedEnd()));
      else if (t === T_LEN1) out.scope = this.scope(r.delimitedEnd());
      else if (t === T_LEN3) out.schemaUrl = r.string();
      else unknown = this.unknown(unknown, start, t);
    }
    this.finish(end);
    if (out.scope === undefined) delete out.scope;
    if (unknown) out.unknownFields = this.collect(unknown);
    return out;
  }

  private scope(end: number): InstrumentationScope {
    const r = this.r;
    const out: InstrumentationScope = { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
    let unknown: number[] | undefined;
    while (r.pos < end) {
      const start = r.pos;
      const t = r.uint32();
      if (t === T_LEN1) out.name = r.string();
      else if (t === T_LEN2) out.version = r.string();
      else if (t === T_LEN3) out.attributes.push(this.keyValue(r.delimitedEnd(), 0));
      else if (t === tag(4, WIRE_VARINT)) out.droppedAttributesCount = r.uint32();
      else unknown = this.unknown(unknown, start, t);
    }
    this.finish(end);
    if (unknown) out.unknownFields = this.collect(unknown);
    return out;
  }

  private logRecord(end: number): LogRecord {
    const r = this.r;
    const begin = r.pos;
    const out: LogRecord = {
      timeUnixNano: 0n,
      observedTimeUnixNano: 0n,
      severityNumber: 0,
      severityText: '',
      body: undefined,
      attributes: [],
      droppedAttributesCount: 0,
      flags: 0,
      traceId: EMPTY,
      spanId: EMPTY,
      eventName: '',
      // Declared so every decoded record has one shape (set below, or left unset without keepWire).
      wire: undefined,
      wireAttributes: undefined,
    };
    let unknown: number[] | undefined;
    while (r.pos < end) {
      const start = r.pos;
      const t = r.uint32();
      switch (t) {
        case 0x09 /* field 1, i64 */:
          out.timeUnixNano = r.fixed64();
          break;
        case 0x59 /* field 11, i64 */:
          out.observedTimeUnixNano = r.fixed64();
          break;
        case 0x10 /* field 2, varint */:
          out.severityNumber = r.uint32() | 0;
          break;
        case 0x1a /* field 3, len */:
          out.severityText = r.string();
          break;
        case 0x2a /* field 5, len */:
          out.body = this.anyValue(r.delimitedEnd(), 0);
          break;
        case 0x32 /* field 6, len */:
          out.attributes.push(this.keyValue(r.delimitedEnd(), 0));
          break;
        case 0x38 /* field 7, varint */:
          out.droppedAttributesCount = r.uint32();
          break;
        case 0x45 /* field 8, i32 */:
          out.flags = r.fixed32();
          break;
        case 0x4a /* field 9, len */:
          out.traceId = r.bytes();
          break;
        case 0x52 /* field 10, len */:
          out.spanId = r.bytes();
          break;
        case 0x62 /* field 12, len */:
          out.eventName = r.string();
          break;
        default:
          unknown = this.unknown(unknown, start, t);
      }
    }
    this.finish(end);
    if (out.body === undefined) delete out.body;
    if (unknown) out.unknownFields = this.collect(unknown);
    if (this.keepWire) {
      out.wire = r.buf.subarray(begin, end);
      out.wireAttributes = out.attributes.length;
    }
    this.records++;
    return out;
  }

  private keyValue(end: number, depth: number): KeyValue {
    const r = this.r;
    let key = '';
    let value: AnyValue | undefined;
    while (r.pos < end) {
      const start = r.pos;
      const t = r.uint32();
      if (t === T_LEN1) key = r.string();
      else if (t === T_LEN2) value = this.anyValue(r.delimitedEnd(), depth);
      else this.unknown(undefined, start, t);
    }
    this.finish(end);
    return { key, value: value ?? {} };
  }

  private anyValue(end: number, depth: number): AnyValue {
    if (depth > this.maxDepth) {
      throw new DecodeError(`attribute value nested deeper than ${this.maxDepth} levels`, 'too-deep');
    }
    const r = this.r;
    // Built by the member found (a oneof: usually exactly one); {} only for a value with none.
    let out: AnyValue | undefined;
    while (r.pos < end) {
      const start = r.pos;
      const t = r.uint32();
      // A oneof: the last member on the wire wins.
      switch (t) {
        case 0x0a /* field 1, len */:
          out = { stringValue: r.string() };
          break;
        case 0x10 /* field 2, varint */:
          out = { boolValue: r.bool() };
          break;
        case 0x18 /* field 3, varint */:
          out = { intValue: r.int64() };
          break;
        case 0x21 /* field 4, i64 */:
          out = { doubleValue: r.double() };
          break;
        case 0x2a /* field 5, len */:
          out = { arrayValue: { values: this.arrayValues(r.delimitedEnd(), depth + 1) } };
          break;
        case 0x32 /* field 6, len */:
          out = { kvlistValue: { values: this.kvlistValues(r.delimitedEnd(), depth + 1) } };
          break;
        case 0x3a /* field 7, len */:
          out = { bytesValue: r.bytes() };
          break;
        default:
          this.unknown(undefined, start, t);
      }
    }
    this.finish(end);
    return out ?? {};
  }

  private arrayValues(end: number, depth: number): AnyValue[] {
    const r = this.r;
    const values: AnyValue[] = [];
    while (r.pos < end) {
      const start = r.pos;
      const t = r.uint32();
      if (t === T_LEN1) values.push(this.anyValue(r.delimitedEnd(), depth));
      else this.unknown(undefined, start, t);
    }
    this.finish(end);
    return values;
  }

  private kvlistValues(end: number, depth: number): KeyValue[] {
    const r = this.r;
    const values: KeyValue[] = [];
    while (r.pos < end) {
      const start = r.pos;
      const t = r.uint32();
      if (t === T_LEN1) values.push(this.keyValue(r.delimitedEnd(), depth));
      else this.unknown(undefined, start, t);
    }
    this.finish(end);
    return values;
  }

  /** A nested message must end exactly at its declared length. */
  private finish(end: number): void {
    if (this.r.pos !== end) throw new DecodeError(`field overruns its enclosing message at byte ${this.r.pos}`);
  }
}

const EMPTY = new Uint8Array(0);

/** Decode an ExportLogsServiceRequest. Byte fields are views onto `buf`. Throws DecodeError. */
export function decodeLogsRequest(buf: Uint8Array, opts: DecodeOptions = {}): Decoded {
  const r = new ProtoReader(buf);
  const d = new Decoder(r, opts.maxValueDepth ?? DEFAULT_MAX_VALUE_DEPTH, opts.keepWire ?? false);
  try {
    const data = d.logsData(buf.length);
    return { data, recordCount: d.records };
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    // Out-of-range reads on truncated input surface as RangeError from DataView and the like.
    throw new DecodeError(`malformed protobuf: ${(e as Error).message}`);
  }
}
