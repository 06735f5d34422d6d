/**
 * Protobuf writer in two passes: `measure*` functions compute every nested message and string
 * length once and push them, in pre-order, into a SizeCache; `write*` functions then write into
 * one exactly-sized Buffer, reading the cached lengths back in the same order. One allocation per
 * request, no intermediate buffers.
 */
/**
 * The measured lengths, in pre-order. One instance may serve every encode in turn (`reset`): its
 * typed array is kept between requests, so measuring allocates nothing once it has grown to the
 * largest request's count (a number[] grown per request was ~190 bytes of garbage per record).
 */
export class SizeCache {
  sizes = new Int32Array(1024);
  length = 0;
  /** Reserve a slot for a length that is known only after its children are measured. */
  reserve(): number {
    if (this.length === this.sizes.length) this.grow();
    return this.length++;
  }
  push(n: number): void {
    if (this.length === this.sizes.length) this.grow();
    this.sizes[this.length++] = n;
  }
  /** Empty for the next encode; a cache grown past `keep` slots (one huge request) is let go. */
  reset(keep = 1 << 20): void {
    this.length = 0;
    if (this.sizes.length > keep) this.sizes = new Int32Array(1024);
  }
  private grow(): void {
    const next = new Int32Array(this.sizes.length * 2);
    next.set(this.sizes);
    this.sizes = next;
  }
}

export function varintSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

export function int64Size(v: bigint): number {
  let u = BigInt.asUintN(64, v);
  let n = 1;
  while (u >= 0x80n) {
    u >>= 7n;
    n++;
  }
  return n;
}

/** UTF-8 byte length, counting a lone surrogate as the 3-byte replacement character like Buffer does. */
export function utf8Length(s: string): number {
  const n = s.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // surrogate pair: 2 UTF-16 units → 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Size of a length-delimited field: tag + length prefix + body. */
export function delimitedSize(tagBytes: number, len: number): number {
  return tagBytes + varintSize(len) + len;
}

export class ProtoWriter {
  readonly buf: Buffer;
  pos = 0;
  private k = 0;

  constructor(
    size: number,
    private readonly cache: SizeCache,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  nextSize(): number {
    return this.cache.sizes[this.k++];
  }

  tag(byte: number): void {
    this.buf[this.pos++] = byte;
  }

  uint32(v: number): void {
    const buf = this.buf;
    while (v > 0x7f) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v;
  }

  int64(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    if (u < 0x80000000n) return this.uint32(Number(u));
    while (u > 0x7fn) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  fixed64(v: bigint): void {
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.pos);
    this.pos += 8;
  }

  fixed32(v: number): void {
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
  }

  double(v: number): void {
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  /** Length prefix of the next nested message (taken from the cache) and returns it. */
  beginMessage(): number {
    const len = this.nextSize();
    this.uint32(len);
    return len;
  }

  string(s: string): void {
    const len = this.nextSize();
    this.uint32(len);
    if (len === s.length) {
      // ASCII: byte-per-char copy beats the native call for short strings.
      const buf = this.buf;
      let pos = this.pos;
      if (len < 32) for (let i = 0; i < len; i++) buf[pos++] = s.charCodeAt(i);
      else pos += buf.write(s, pos, len, 'latin1');
      this.pos = pos;
    } else this.pos += this.buf.write(s, this.pos, len, 'utf8');
  }

  bytes(b: Uint8Array): void {
    this.uint32(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  raw(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}
