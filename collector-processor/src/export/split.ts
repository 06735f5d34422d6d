/**
 * Splits an encoded ExportLogsServiceRequest into requests of at most `maxBytes` each, on the wire:
 * records are never decoded, the bytes of each ResourceLogs / ScopeLogs header (resource, scope,
 * schema URL, unknown fields) are copied into every piece that holds some of their records.
 * Field numbers are those of opentelemetry-proto: the request's field 1 holds ResourceLogs, whose
 * field 2 holds ScopeLogs, whose field 2 holds LogRecords. The input is valid protobuf (the
 * processor encoded or validated it).
 */
import { ProtoReader, WIRE_LEN } from '../otlp/proto-reader';
import { varintSize } from '../otlp/proto-writer';

export interface SplitPart {
  bytes: Buffer;
  records: number;
}

export interface Split {
  parts: SplitPart[];
  /** Records that alone exceed `maxBytes` with their headers ('drop' mode only). */
  tooLarge: number;
}

/**
 * What to do with a record that does not fit on its own: drop it (counted in `tooLarge`), or send it
 * in a piece of its own over `maxBytes` (when the limit is a guess and the downstream has the last word).
 */
export type Oversized = 'drop' | 'alone';

/** Nesting levels: the request, ResourceLogs, ScopeLogs, LogRecord. */
const RECORD_DEPTH = 3;

/** Tag of the repeated child field at each depth: request.resource_logs = 1, then scope_logs / log_records = 2. */
const CHILD_TAG = [(1 << 3) | WIRE_LEN, (2 << 3) | WIRE_LEN, (2 << 3) | WIRE_LEN];

/** Message body under construction: byte slices in order, their total length, the records inside. */
interface Body {
  segs: Uint8Array[];
  len: number;
  records: number;
}

export function splitLogsRequest(buf: Uint8Array, maxBytes: number, oversized: Oversized): Split {
  const ctx = { buf, oversized, tooLarge: 0 };
  const bodies = splitMessage(ctx, 0, buf.length, 0, maxBytes);
  return {
    parts: bodies.map((b) => ({ bytes: Buffer.concat(b.segs, b.len), records: b.records })),
    tooLarge: ctx.tooLarge,
  };
}

interface Context {
  buf: Uint8Array;
  oversized: Oversized;
  tooLarge: number;
}

/** Bodies of the message at [start, end) of nesting `depth`, each at most `maxBody` bytes, holding all its children. */
function splitMessage(ctx: Context, start: number, end: number, depth: number, maxBody: number): Body[] {
  const { buf } = ctx;
  const r = new ProtoReader(buf, start, end);
  const header: Uint8Array[] = [];
  let headerLen = 0;
  // Flat triples: field start, value start, field end (no array per child: a scope holds thousands).
  const children: number[] = [];
  while (r.pos < end) {
    const at = r.pos;
    const t = r.uint32();
    if (t === CHILD_TAG[depth]) {
      const valueEnd = r.delimitedEnd();
      children.push(at, r.pos, valueEnd);
      r.pos = valueEnd;
      continue;
    }
    if ((t & 7) === WIRE_LEN) r.pos = r.delimitedEnd();
    else r.skip(t & 7);
    header.push(buf.subarray(at, r.pos));
    headerLen += r.pos - at;
  }

  const out: Body[] = [];
  let current: Body | undefined;
  // Children taken whole that lie next to each other in `buf` are copied as one run, not one view
  // each: a piece of a large scope is then a few slices, however many records it holds.
  let runStart = 0;
  let runEnd = -1;
  const flush = () => {
    if (current && runEnd > runStart) current.segs.push(buf.subarray(runStart, runEnd));
    runEnd = -1;
  };
  const open = (len: number): Body => {
    if (!current || current.len + len > maxBody) {
      flush();
      current = { segs: [...header], len: headerLen, records: 0 };
      out.push(current);
    }
    return current;
  };
  const addRange = (from: number, to: number, records: number) => {
    const body = open(to - from);
    if (runEnd !== from) {
      flush();
      runStart = from;
    }
    runEnd = to;
    body.len += to - from;
    body.records += records;
  };
  const addSegs = (segs: Uint8Array[], len: number, records: number) => {
    const body = open(len);
    flush();
    for (const seg of segs) body.segs.push(seg);
    body.len += len;
    body.records += records;
  };
  const endPiece = () => {
    flush();
    current = undefined;
  };
  const room = maxBody - headerLen;
  for (let c = 0; c < children.length; c += 3) {
    const fieldStart = children[c];
    const valueStart = children[c + 1];
    const fieldEnd = children[c + 2];
    const size = fieldEnd - fieldStart;
    if (depth + 1 === RECORD_DEPTH) {
      if (size <= room || ctx.oversized === 'alone') {
        if (size > room) endPiece(); // a piece of its own
        addRange(fieldStart, fieldEnd, 1);
        if (size > room) endPiece();
      } else ctx.tooLarge++;
      continue;
    }
    if (size <= room) {
      addRange(fieldStart, fieldEnd, countRecords(buf, valueStart, fieldEnd, depth + 1));
      continue;
    }
    // Too large as a whole: its own pieces, each wrapped in this field's tag and length.
    for (const sub of splitMessage(ctx, valueStart, fieldEnd, depth + 1, innerRoom(room))) {
      const prefix = lengthPrefix(CHILD_TAG[depth], sub.len);
      const len = prefix.length + sub.len;
      if (len > room) endPiece();
      addSegs([prefix, ...sub.segs], len, sub.records);
      if (len > room) endPiece();
    }
  }
  flush();
  return out;
}

/** Largest body whose field (one tag byte, length prefix, body) fits in `room` bytes. */
function innerRoom(room: number): number {
  return room - 1 - varintSize(Math.max(0, room));
}

function lengthPrefix(tag: number, len: number): Buffer {
  const out = Buffer.allocUnsafe(1 + varintSize(len));
  out[0] = tag;
  let pos = 1;
  let v = len;
  while (v >= 0x80) {
    out[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[pos] = v;
  return out;
}

/** Log records inside the message at [start, end) of nesting `depth`. */
export function countRecords(buf: Uint8Array, start: number, end: number, depth: number): number {
  if (depth === RECORD_DEPTH) return 1;
  const r = new ProtoReader(buf, start, end);
  let n = 0;
  while (r.pos < end) {
    const t = r.uint32();
    if ((t & 7) !== WIRE_LEN) {
      r.skip(t & 7);
      continue;
    }
    const valueEnd = r.delimitedEnd();
    if (t === CHILD_TAG[depth]) n += countRecords(buf, r.pos, valueEnd, depth + 1);
    r.pos = valueEnd;
  }
  return n;
}
