/**
 * Ids of stored rows (anomalies, incidents): UUID version 7 (RFC 9562), the creation time in
 * milliseconds ahead of random bits. Rows written together get ids next to each other, so a batch
 * of inserts extends the end of each id index instead of touching a random page of it per row, which
 * in an anomaly storm would make every commit write a page per row per index.
 */
import { randomFillSync } from 'node:crypto';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Random bytes taken from the system a pool at a time: one system call per POOL / 10 ids. */
const POOL = 4096;
const pool = new Uint8Array(POOL);
let at = POOL;

function randomBytes(n: number): number {
  if (at + n > POOL) {
    randomFillSync(pool);
    at = 0;
  }
  const start = at;
  at += n;
  return start;
}

/** A new UUIDv7 string, ordered by `nowMs` (wall clock by default) across calls. */
export function rowId(nowMs: number = Date.now()): string {
  const r = randomBytes(10);
  // 48-bit big-endian milliseconds: the high 16 bits, then the low 32.
  const hi = Math.floor(nowMs / 2 ** 32) & 0xffff;
  const lo = nowMs >>> 0;
  const ver = 0x70 | (pool[r] & 0x0f);
  const variant = 0x80 | (pool[r + 2] & 0x3f);
  return (
    HEX[hi >>> 8] +
    HEX[hi & 0xff] +
    HEX[lo >>> 24] +
    HEX[(lo >>> 16) & 0xff] +
    '-' +
    HEX[(lo >>> 8) & 0xff] +
    HEX[lo & 0xff] +
    '-' +
    HEX[ver] +
    HEX[pool[r + 1]] +
    '-' +
    HEX[variant] +
    HEX[pool[r + 3]] +
    '-' +
    HEX[pool[r + 4]] +
    HEX[pool[r + 5]] +
    HEX[pool[r + 6]] +
    HEX[pool[r + 7]] +
    HEX[pool[r + 8]] +
    HEX[pool[r + 9]]
  );
}
