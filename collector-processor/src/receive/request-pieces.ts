/**
 * A large protobuf request decoded in pieces, a piece per event-loop turn, instead of in one task
 * that holds the loop for all its records. The request's layout is read first without decoding a
 * record (tags and lengths only): it gives the record count, so the decoded-size budget is checked
 * before any record is built, and the byte ranges the pieces are cut along. Each piece is a small
 * request of its own (the resource's and scope's own fields, then a run of records) decoded by the
 * one decoder; the pieces' models are then joined back into the request's: same resources, scopes
 * and records in the same order as a decode of the whole.
 */
import { decodeLogsRequest, type DecodeOptions, type Decoded } from '../otlp/logs-decode';
import { ProtoReader, WIRE_LEN } from '../otlp/proto-reader';
import type { ResourceLogs, ScopeLogs } from '../otlp/types';

/** Requests over this many bytes are decoded in pieces; smaller ones in one go. */
export const PIECED_REQUEST_BYTES = 256 * 1024;

/**
 * Bytes of record per piece: a few milliseconds of decoding in a turn, tens while the decoder's code
 * is not optimised yet (the first large requests of a process).
 */
export const PIECE_BYTES = 64 * 1024;

/** Records whose fields are read for the layout in one turn (requestLayoutInTurns). */
const LAYOUT_STEP_RECORDS = 8192;

const T_FIELD1 = (1 << 3) | WIRE_LEN;
const T_FIELD2 = (2 << 3) | WIRE_LEN;

/** A message's fields other than its repeated children, as byte ranges [start, end) with their tags. */
type Ranges = number[];

interface ScopeLayout {
  head: Ranges;
  /** Start and end of each record field, tag included, flat. */
  records: number[];
}

interface ResourceLayout {
  head: Ranges;
  scopes: ScopeLayout[];
}

export interface RequestLayout {
  readonly buf: Uint8Array;
  readonly resources: ResourceLayout[];
  readonly recordCount: number;
}

/**
 * Where the request's resources, scopes and records are; undefined when the bytes are not plainly
 * laid out (then the whole request goes to the decoder, which names what is wrong).
 */
export function requestLayout(buf: Uint8Array): RequestLayout | undefined {
  const reading = readLayout(buf, true);
  let step = reading.next();
  while (!step.done) step = reading.next();
  return step.value;
}

/**
 * requestLayout, reading LAYOUT_STEP_RECORDS records per turn of the event loop (`turn`): a request
 * of tens of thousands of records does not hold the loop for all of them at once.
 */
export function requestLayoutInTurns(buf: Uint8Array, turn: () => Promise<void>): Promise<RequestLayout | undefined> {
  return inTurns(readLayout(buf, true), turn);
}

/**
 * The request's record count, read in turns as requestLayoutInTurns reads the layout but keeping no
 * record's place (undefined where requestLayout is): what weighing a request takes, so a request
 * then refused costs one read of its tags and lengths and nothing kept.
 */
export async function recordCountInTurns(buf: Uint8Array, turn: () => Promise<void>): Promise<number | undefined> {
  return (await inTurns(readLayout(buf, false), turn))?.recordCount;
}

async function inTurns<T>(steps: Generator<void, T>, turn: () => Promise<void>): Promise<T> {
  let step = steps.next();
  while (!step.done) {
    await turn();
    step = steps.next();
  }
  return step.value;
}

/**
 * requestLayout as steps: yields after every LAYOUT_STEP_RECORDS records. Without `records`, the
 * scopes' record ranges are left empty (only counted).
 */
function* readLayout(buf: Uint8Array, records: boolean): Generator<void, RequestLayout | undefined> {
  try {
    const r = new ProtoReader(buf);
    const resources: ResourceLayout[] = [];
    let recordCount = 0;
    while (r.pos < buf.length) {
      if (r.uint32() !== T_FIELD1) return undefined;
      const end = r.delimitedEnd();
      const resource: ResourceLayout = { head: [], scopes: [] };
      while (r.pos < end) {
        const start = r.pos;
        const t = r.uint32();
        if (t !== T_FIELD2) {
          r.skip(t & 7);
          resource.head.push(start, r.pos);
          continue;
        }
        const scopeEnd = r.delimitedEnd();
        const scope: ScopeLayout = { head: [], records: [] };
        while (r.pos < scopeEnd) {
          const fieldStart = r.pos;
          const ft = r.uint32();
          r.skip(ft & 7);
          if (ft === T_FIELD2) {
            if (records) scope.records.push(fieldStart, r.pos);
            if (++recordCount % LAYOUT_STEP_RECORDS === 0) yield;
          } else scope.head.push(fieldStart, r.pos);
        }
        if (r.pos !== scopeEnd) return undefined;
        resource.scopes.push(scope);
      }
      if (r.pos !== end) return undefined;
      resources.push(resource);
    }
    return { buf, resources, recordCount };
  } catch {
    return undefined;
  }
}

/** One piece: runs of records of consecutive scopes, with where they belong in the request. */
interface Portion {
  resource: number;
  scope: number;
  /** Record indexes [from, to) of the scope; a scope without records has one empty portion. */
  from: number;
  to: number;
}

/** The request cut into pieces of about `pieceBytes` of records, in order. */
export function piecesOf(layout: RequestLayout, pieceBytes = PIECE_BYTES): Portion[][] {
  const pieces: Portion[][] = [];
  let piece: Portion[] = [];
  let bytes = 0;
  layout.resources.forEach((resource, ri) => {
    // A resource without scopes still has its place in the request.
    if (resource.scopes.length === 0) piece.push({ resource: ri, scope: -1, from: 0, to: 0 });
    resource.scopes.forEach((scope, si) => {
      const n = scope.records.length / 2;
      let from = 0;
      for (let i = 0; i < n; i++) {
        bytes += scope.records[2 * i + 1] - scope.records[2 * i];
        if (bytes >= pieceBytes) {
          piece.push({ resource: ri, scope: si, from, to: i + 1 });
          pieces.push(piece);
          piece = [];
          bytes = 0;
          from = i + 1;
        }
      }
      if (from < n || n === 0) piece.push({ resource: ri, scope: si, from, to: n });
    });
  });
  if (piece.length > 0) pieces.push(piece);
  return pieces;
}

/** Decodes one piece as a request of its own. Throws DecodeError as decodeLogsRequest does. */
export function decodePiece(layout: RequestLayout, piece: Portion[], opts: DecodeOptions): Decoded {
  return decodeLogsRequest(encodePiece(layout, piece), opts);
}

/** Where joining stands: the last resource and scope taken, by their index in the request. */
export interface JoinState {
  resource: number;
  scope: number;
  last?: ResourceLogs;
  lastScope?: ScopeLogs;
}

export function joinState(): JoinState {
  return { resource: -1, scope: -1 };
}

/**
 * Appends a decoded piece to the request decoded so far (`into`, empty at first): a resource or
 * scope the last piece ended in is continued, not repeated.
 */
export function joinPiece(into: Decoded, piece: Portion[], decoded: Decoded, at: JoinState): void {
  let p = 0;
  for (const rl of decoded.data.resourceLogs) {
    const resource = piece[p].resource;
    const continues = at.resource === resource && at.last !== undefined;
    const target = continues ? at.last! : rl;
    if (!continues) {
      into.data.resourceLogs.push(rl);
      at.resource = resource;
      at.last = rl;
      at.scope = -1;
      at.lastScope = undefined;
    }
    if (piece[p].scope < 0) {
      p++;
      continue;
    }
    for (const sl of rl.scopeLogs) {
      const scope = piece[p++].scope;
      if (continues && at.scope === scope && at.lastScope) {
        const records = at.lastScope.logRecords;
        for (const record of sl.logRecords) records.push(record);
      } else {
        if (continues) target.scopeLogs.push(sl);
        at.scope = scope;
        at.lastScope = sl;
      }
    }
  }
  into.recordCount += decoded.recordCount;
}

/** The piece's bytes: per resource its own fields and its scopes, per scope its own fields and the records. */
function encodePiece(layout: RequestLayout, piece: Portion[]): Uint8Array {
  const src = layout.buf;
  const rangesBytes = (ranges: number[]) => {
    let n = 0;
    for (let i = 0; i < ranges.length; i += 2) n += ranges[i + 1] - ranges[i];
    return n;
  };
  // The piece's resources in order, each with its portions (one per scope).
  const groups: { resource: number; portions: Portion[] }[] = [];
  for (const portion of piece) {
    const g = groups[groups.length - 1];
    if (g && g.resource === portion.resource) g.portions.push(portion);
    else groups.push({ resource: portion.resource, portions: [portion] });
  }
  const scopeBodyBytes = (portion: Portion) => {
    const scope = layout.resources[portion.resource].scopes[portion.scope];
    let n = rangesBytes(scope.head);
    for (let k = portion.from; k < portion.to; k++) n += scope.records[2 * k + 1] - scope.records[2 * k];
    return n;
  };
  const resourceBodyBytes = (g: (typeof groups)[number]) => {
    let n = rangesBytes(layout.resources[g.resource].head);
    for (const portion of g.portions) {
      if (portion.scope < 0) continue;
      const b = scopeBodyBytes(portion);
      n += 1 + varintSize(b) + b;
    }
    return n;
  };
  let total = 0;
  for (const g of groups) {
    const b = resourceBodyBytes(g);
    total += 1 + varintSize(b) + b;
  }
  const out = new Uint8Array(total);
  let pos = 0;
  const copy = (start: number, end: number) => {
    out.set(src.subarray(start, end), pos);
    pos += end - start;
  };
  const header = (tag: number, length: number) => {
    out[pos++] = tag;
    let v = length;
    while (v >= 0x80) {
      out[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[pos++] = v;
  };
  for (const g of groups) {
    const resource = layout.resources[g.resource];
    header(T_FIELD1, resourceBodyBytes(g));
    for (let i = 0; i < resource.head.length; i += 2) copy(resource.head[i], resource.head[i + 1]);
    for (const portion of g.portions) {
      if (portion.scope < 0) continue;
      const scope = resource.scopes[portion.scope];
      header(T_FIELD2, scopeBodyBytes(portion));
      for (let i = 0; i < scope.head.length; i += 2) copy(scope.head[i], scope.head[i + 1]);
      // Each record on its own: a scope's own fields may sit between its records on the wire.
      for (let k = portion.from; k < portion.to; k++) copy(scope.records[2 * k], scope.records[2 * k + 1]);
    }
  }
  return out;
}

function varintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}
