/**
 * Direct-mapped cache of a model's raw member scores by record vector. Live record vectors repeat a
 * great deal (mostly one per template and token count), and for a given model the scores are a pure
 * function of the vector, so a hit is exact, never approximate: the slot keeps the whole vector and
 * is compared value by value. Misses are gathered into one matrix and scored in one pass per member.
 */
import type { Matrix } from '../detect/detector';
import * as hash from '../util/hash';

// Bound once (see logs-decode.ts): a named import is a getter call per use in CommonJS (tsx and dist/ alike).
const { FNV_OFFSET, fnvMix } = hash;

/** Scores the rows of `m` for every member: member-major, `out[k * m.rows + r]`. */
export type ScoreRows = (m: Matrix) => Float64Array;

export class RowScoreCache {
  private readonly keys: Float64Array;
  private readonly values: Float64Array;
  private readonly filled: Uint8Array;
  private readonly mask: number;
  /** The row being hashed, viewed as 32-bit words. */
  private readonly word = new Uint32Array(2);
  private readonly wordF64 = new Float64Array(this.word.buffer);
  /** Per slot: the batch and index of the miss it holds in missData (rows repeated in a batch). */
  private readonly pendingBatch: Uint32Array;
  private readonly pendingMiss: Int32Array;
  private batch = 0;
  /** Per row of the batch: its index among the misses, or -1 for a hit. */
  private missOfRow = new Int32Array(256);
  /** Per miss of the batch: its slot. */
  private missSlot = new Int32Array(256);
  private missData = new Float64Array(256);
  hits = 0;
  misses = 0;

  /** `slots` is rounded up to a power of two. */
  constructor(
    readonly dims: number,
    readonly members: number,
    slots = 4096,
  ) {
    const n = 2 ** Math.ceil(Math.log2(Math.max(1, slots)));
    this.mask = n - 1;
    this.keys = new Float64Array(n * dims);
    this.values = new Float64Array(n * members);
    this.filled = new Uint8Array(n);
    this.pendingBatch = new Uint32Array(n);
    this.pendingMiss = new Int32Array(n);
  }

  scoreMatrix(m: Matrix, score: ScoreRows): Float64Array {
    if (m.cols !== this.dims) throw new Error(`row score cache: ${m.cols} columns, expected ${this.dims}`);
    const { dims, members, values, filled } = this;
    const out = new Float64Array(members * m.rows);
    this.reserve(m.rows);
    this.batch++;
    let missed = 0;
    for (let r = 0; r < m.rows; r++) {
      const slot = this.slotOf(m.data, r * dims);
      if (filled[slot] && this.sameRow(m.data, r * dims, this.keys, slot * dims)) {
        this.missOfRow[r] = -1;
        for (let k = 0; k < members; k++) out[k * m.rows + r] = values[slot * members + k];
        continue;
      }
      // A row repeated within the batch is scored once: the slot remembers this batch's miss.
      const earlier = this.pendingBatch[slot] === this.batch ? this.pendingMiss[slot] : -1;
      if (earlier >= 0 && this.sameRow(m.data, r * dims, this.missData, earlier * dims)) {
        this.missOfRow[r] = earlier;
        continue;
      }
      this.missData.set(m.data.subarray(r * dims, (r + 1) * dims), missed * dims);
      this.missSlot[missed] = slot;
      this.pendingBatch[slot] = this.batch;
      this.pendingMiss[slot] = missed;
      this.missOfRow[r] = missed++;
    }
    this.misses += missed;
    this.hits += m.rows - missed;
    if (missed === 0) return out;
    const scored = score({ data: this.missData.subarray(0, missed * dims), rows: missed, cols: dims });
    for (let r = 0; r < m.rows; r++) {
      const i = this.missOfRow[r];
      if (i < 0) continue;
      for (let k = 0; k < members; k++) out[k * m.rows + r] = scored[k * missed + i];
    }
    // Each miss into its slot (a later miss on the same slot wins, as a direct-mapped cache does).
    for (let i = 0; i < missed; i++) this.store(scored, missed, i);
    return out;
  }

  private store(scored: Float64Array, missed: number, i: number): void {
    const { dims, members } = this;
    const slot = this.missSlot[i];
    this.keys.set(this.missData.subarray(i * dims, (i + 1) * dims), slot * dims);
    this.filled[slot] = 1;
    for (let k = 0; k < members; k++) this.values[slot * members + k] = scored[k * missed + i];
  }

  private reserve(rows: number): void {
    if (this.missOfRow.length < rows) {
      this.missOfRow = new Int32Array(rows * 2);
      this.missSlot = new Int32Array(rows * 2);
    }
    if (this.missData.length < rows * this.dims) this.missData = new Float64Array(rows * this.dims * 2);
  }

  /** FNV-1a over the 32-bit words of the row's doubles. */
  private slotOf(data: Float64Array, at: number): number {
    let h = FNV_OFFSET;
    for (let c = 0; c < this.dims; c++) {
      this.wordF64[0] = data[at + c];
      h = fnvMix(fnvMix(h, this.word[0]), this.word[1]);
    }
    return (h ^ (h >>> 15)) & this.mask;
  }

  private sameRow(data: Float64Array, at: number, keys: Float64Array, base: number): boolean {
    for (let c = 0; c < this.dims; c++) if (keys[base + c] !== data[at + c]) return false;
    return true;
  }
}
