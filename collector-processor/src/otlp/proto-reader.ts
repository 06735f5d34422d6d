import { DecodeError } from './errors';
import * as hash from '../util/hash';

/**
 * Bound once: in CommonJS (tsx and dist/ alike), an imported function is a getter on the module
 * object, called on every use, and decodeUtf8's per-byte loop would pay that call per byte.
 */
const { FNV_OFFSET, fnvMix } = hash;

/**
 * Minimal protobuf wire-format reader over a Uint8Array. Hot path: no per-field allocation except
 * the values themselves; strings are UTF-8 validated (invalid UTF-8 is a DecodeError, as proto3
 * requires for `string` fields).
 */
export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ProtoReader {
  pos: number;
  /**
   * The bytes, as a plain Uint8Array even when given a Buffer (as gRPC gives requests): a Buffer's
   * subarray() is node:buffer's JS method building a FastBuffer, a Uint8Array's is native, and a
   * view is taken per string field and per record (LogRecord.wire). Same bytes, no copy.
   */
  readonly buf: Uint8Array;
  private readonly view: DataView;

  constructor(
    buf: Uint8Array,
    start = 0,
    public end = buf.length,
  ) {
    this.buf = Buffer.isBuffer(buf) ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : buf;
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** A varint of up to 32 significant bits (tags, lengths, enums, uint32). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++];
    let value = b & 0x7f;
    if (b >= 0x80) {
      b = buf[pos++];
      value |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++];
        value |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++];
          value |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = buf[pos++];
            value |= b << 28;
            // Upper bits of a 64-bit varint (negative int32 etc.): skip up to 5 more bytes.
            for (let i = 0; b >= 0x80 && i < 5; i++) b = buf[pos++];
            if (b >= 0x80) throw new DecodeError(`varint too long at byte ${this.pos}`);
          }
        }
      }
    }
    if (pos > this.end) throw new DecodeError(`truncated varint at byte ${this.pos}`);
    this.pos = pos;
    return value >>> 0;
  }

  /** A 64-bit two's-complement varint (int64) as bigint. */
  int64(): bigint {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let pos = this.pos;
    let b: number;
    for (let i = 0; ; i++) {
      if (pos >= this.end || i >= 10) throw new DecodeError(`bad int64 varint at byte ${this.pos}`);
      b = buf[pos++];
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      shift += 7;
      if (b < 0x80) break;
    }
    this.pos = pos;
    return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  }

  fixed64(): bigint {
    if (this.pos + 8 > this.end) throw new DecodeError(`truncated fixed64 at byte ${this.pos}`);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) throw new DecodeError(`truncated fixed32 at byte ${this.pos}`);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new DecodeError(`truncated double at byte ${this.pos}`);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  /** Reads a length prefix and returns the end offset of the delimited field. */
  delimitedEnd(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.end) throw new DecodeError(`length ${len} at byte ${this.pos} runs past the end of its message`);
    return end;
  }

  string(): string {
    const end = this.delimitedEnd();
    const start = this.pos;
    this.pos = end;
    return decodeUtf8(this.buf, start, end);
  }

  /** A view onto the request buffer (no copy); callers copy if they keep it past the request. */
  bytes(): Uint8Array {
    const end = this.delimitedEnd();
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  /** Skip a field of the given wire type (unknown fields). */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        while (this.pos < this.end && this.buf[this.pos] >= 0x80) this.pos++;
        this.pos++;
        break;
      case WIRE_I64:
        this.pos += 8;
        break;
      case WIRE_LEN:
        this.pos = this.delimitedEnd();
        break;
      case WIRE_I32:
        this.pos += 4;
        break;
      default:
        throw new DecodeError(`unsupported wire type ${wireType} at byte ${this.pos}`);
    }
    if (this.pos > this.end) throw new DecodeError(`truncated field at byte ${this.pos}`);
  }
}

/** Slots of the short-string cache (a power of two). */
const SHORT_SLOTS = 1024;
/**
 * The last short ASCII string decoded per slot (slot: a hash of its bytes). Keys, severity texts and
 * many values repeat in every record; a repeat is compared in place and the held string returned,
 * instead of building a new one through String.fromCharCode.apply over a view (a per-string view
 * and a per-byte argument list). Strings are immutable, so sharing one is safe.
 */
const shortStrings: string[] = new Array<string>(SHORT_SLOTS).fill('');

/** UTF-8 decode with validation; short ASCII strings (most keys) skip the TextDecoder call. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len === 0) return '';
  if (len <= 24) {
    let ascii = true;
    let h = FNV_OFFSET;
    for (let i = start; i < end; i++) {
      const b = buf[i];
      if (b >= 0x80) {
        ascii = false;
        break;
      }
      h = fnvMix(h, b);
    }
    if (ascii) {
      const slot = (h ^ (h >>> 16)) & (SHORT_SLOTS - 1);
      const held = shortStrings[slot];
      if (held.length === len) {
        let i = 0;
        while (i < len && held.charCodeAt(i) === buf[start + i]) i++;
        if (i === len) return held;
      }
      const s = String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
      shortStrings[slot] = s;
      return s;
    }
  }
  try {
    return strictUtf8.decode(buf.subarray(start, end));
  } catch {
    throw new DecodeError(`invalid UTF-8 in a string field at bytes ${start}..${end}`, 'invalid-utf8');
  }
}
