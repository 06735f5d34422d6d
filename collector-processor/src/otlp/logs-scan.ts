/**
 * Validate-only pass over an ExportLogsServiceRequest: the same checks as the decoder (wire
 * structure, lengths, UTF-8 of every string, nesting depth) and the record count, without
 * building the model. Used when the annotation chain is empty and the request is forwarded byte
 * for byte: no per-record allocation on the hot path.
 */
import { isUtf8 } from 'node:buffer';
import { DecodeError } from './errors';
import { DEFAULT_MAX_VALUE_DEPTH, type DecodeOptions } from './logs-decode';
import { ProtoReader } from './proto-reader';

// Local copy: an imported binding is read through a getter in CommonJS output, on every use.
const WIRE_LEN = 2;

const LEN = (field: number): number => (field << 3) | WIRE_LEN;
const T1 = LEN(1);
const T2 = LEN(2);
const T3 = LEN(3);

/** What a message's length-delimited fields are. Anything else is skipped (scalars, unknowns). */
type Shape =
  | 'requestLogs'
  | 'resourceLogs'
  | 'resource'
  | 'scopeLogs'
  | 'scope'
  | 'logRecord'
  | 'keyValue'
  | 'anyValue'
  | 'arrayValue'
  | 'kvlist';

class Scanner {
  records = 0;
  /** The same bytes read four at a time: most strings are ASCII, found so a word per step. */
  private readonly words: DataView;
  constructor(
    private readonly r: ProtoReader,
    private readonly maxDepth: number,
  ) {
    this.words = new DataView(r.buf.buffer, r.buf.byteOffset, r.buf.byteLength);
  }

  message(shape: Shape, end: number, depth: number): void {
    const r = this.r;
    while (r.pos < end) {
      const t = r.uint32();
      if (t >>> 3 === 0) throw new DecodeError(`invalid field number 0 at byte ${r.pos - 1}`);
      if ((t & 7) !== WIRE_LEN) {
        r.skip(t & 7);
        continue;
      }
      const fieldEnd = r.delimitedEnd();
      const child = childOf(shape, t);
      if (child === 'string') this.checkString(r.pos, fieldEnd);
      else if (child !== undefined) {
        if (child === 'anyValue' && depth > this.maxDepth) {
          throw new DecodeError(`attribute value nested deeper than ${this.maxDepth} levels`, 'too-deep');
        }
        this.message(child, fieldEnd, child === 'arrayValue' || child === 'kvlist' ? depth + 1 : depth);
        if (child === 'logRecord') this.records++;
      }
      r.pos = fieldEnd;
    }
    if (r.pos !== end) throw new DecodeError(`field overruns its enclosing message at byte ${r.pos}`);
  }

  private checkString(start: number, end: number): void {
    const buf = this.r.buf;
    const words = this.words;
    // Any byte with its high bit set, OR-ed together: only a string with one needs the full check.
    let high = 0;
    let i = start;
    for (; i + 4 <= end; i += 4) high |= words.getUint32(i, true);
    for (; i < end; i++) high |= buf[i];
    if ((high & 0x80808080) === 0) return;
    if (!isUtf8(buf.subarray(start, end))) {
      throw new DecodeError(`invalid UTF-8 in a string field at bytes ${start}..${end}`, 'invalid-utf8');
    }
  }
}

/** The type of a length-delimited field of `shape` (by tag), 'string', or undefined (bytes / unknown). */
function childOf(shape: Shape, t: number): Shape | 'string' | undefined {
  switch (shape) {
    case 'requestLogs':
      return t === T1 ? 'resourceLogs' : undefined;
    case 'resourceLogs':
      return t === T1 ? 'resource' : t === T2 ? 'scopeLogs' : t === T3 ? 'string' : undefined;
    case 'resource':
      return t === T1 ? 'keyValue' : undefined;
    case 'scopeLogs':
      return t === T2 ? 'logRecord' : t === T1 ? 'scope' : t === T3 ? 'string' : undefined;
    case 'scope':
      return t === T1 || t === T2 ? 'string' : t === T3 ? 'keyValue' : undefined;
    case 'logRecord':
      // 3 severity_text, 5 body, 6 attributes, 9/10 trace/span id (bytes), 12 event_name
      return t === LEN(5) ? 'anyValue' : t === LEN(6) ? 'keyValue' : t === T3 || t === LEN(12) ? 'string' : undefined;
    case 'keyValue':
      return t === T1 ? 'string' : t === T2 ? 'anyValue' : undefined;
    case 'anyValue':
      // 1 string, 5 array, 6 kvlist, 7 bytes
      return t === T1 ? 'string' : t === LEN(5) ? 'arrayValue' : t === LEN(6) ? 'kvlist' : undefined;
    case 'arrayValue':
      return t === T1 ? 'anyValue' : undefined;
    case 'kvlist':
      return t === T1 ? 'keyValue' : undefined;
  }
}

/** Validate an ExportLogsServiceRequest and count its records. Throws DecodeError like the decoder. */
export function scanLogsRequest(buf: Uint8Array, opts: DecodeOptions = {}): { recordCount: number } {
  const s = new Scanner(new ProtoReader(buf), opts.maxValueDepth ?? DEFAULT_MAX_VALUE_DEPTH);
  try {
    s.message('requestLogs', buf.length, 0);
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    throw new DecodeError(`malformed protobuf: ${(e as Error).message}`);
  }
  return { recordCount: s.records };
}
