/**
 * LSTM states after window prefixes. DeepLog predicts from the h keys of a window starting at the
 * zero state, so the state after the window's first j keys depends on those keys only: windows that
 * begin alike (the padded windows at session starts, recurring runs of a workflow) share it. A
 * window-cache miss resumes from the longest cached prefix instead of running all h steps (on the
 * hdfs-deeplog test stream about 4 steps per miss instead of 10). Set-associative, least recently
 * used out; states are float32 like the kernel's, so a resumed window computes bit for bit what a
 * full run computes.
 */
import * as hash from '../util/hash';

// Bound once (see logs-decode.ts): a named import is a getter call per use in CommonJS (tsx and dist/ alike).
const { FNV_OFFSET, fnvMix } = hash;

const WAYS = 4;

export class PrefixStates {
  private readonly sets: number;
  /** Per entry: its prefix keys (h slots, the first `len` used). */
  private readonly keys: Int32Array;
  private readonly lens: Uint8Array;
  private readonly used: Uint32Array;
  private readonly states: Float32Array;
  /** Hash of each prefix length of the current window (index j = first j keys). */
  private readonly hashes: Uint32Array;
  private clock = 1;
  hits = 0;

  constructor(
    private readonly h: number,
    private readonly stateSize: number,
    maxBytes = 8 << 20,
  ) {
    const fit = Math.floor(maxBytes / (stateSize * 4 + h * 4 + 5));
    let entries = WAYS;
    while (entries * 2 <= fit) entries *= 2;
    this.sets = entries / WAYS;
    this.keys = new Int32Array(entries * h);
    this.lens = new Uint8Array(entries);
    this.used = new Uint32Array(entries);
    this.states = new Float32Array(entries * stateSize);
    this.hashes = new Uint32Array(h + 1);
  }

  /** Hashes the window's prefixes; call before find/store for a window. */
  begin(win: ArrayLike<number>, from: number): void {
    let hash = FNV_OFFSET;
    this.hashes[0] = hash;
    for (let j = 0; j < this.h; j++) {
      hash = fnvMix(hash, win[from + j]) >>> 0;
      this.hashes[j + 1] = hash;
    }
  }

  /**
   * Copies the state after the longest cached prefix shorter than `maxLen` into `state`; returns
   * that prefix's length (0: nothing cached, start from the zero state).
   */
  resume(win: ArrayLike<number>, from: number, maxLen: number, state: Float32Array): number {
    for (let len = maxLen - 1; len > 0; len--) {
      const e = this.find(win, from, len);
      if (e >= 0) {
        this.used[e] = this.clock++;
        this.hits++;
        state.set(this.states.subarray(e * this.stateSize, (e + 1) * this.stateSize));
        return len;
      }
    }
    return 0;
  }

  /** Stores `state` as the state after the window's first `len` keys. */
  store(win: ArrayLike<number>, from: number, len: number, state: Float32Array): void {
    const base = this.setOf(len);
    let victim = base;
    for (let e = base; e < base + WAYS; e++) if (this.used[e] < this.used[victim]) victim = e;
    const h = this.h;
    for (let k = 0; k < len; k++) this.keys[victim * h + k] = win[from + k];
    this.lens[victim] = len;
    this.used[victim] = this.clock++;
    this.states.set(state, victim * this.stateSize);
  }

  private setOf(len: number): number {
    const hash = this.hashes[len] ^ Math.imul(len, 0x9e3779b1);
    return ((hash ^ (hash >>> 15)) & (this.sets - 1)) * WAYS;
  }

  private find(win: ArrayLike<number>, from: number, len: number): number {
    const base = this.setOf(len);
    const h = this.h;
    for (let e = base; e < base + WAYS; e++) {
      if (this.lens[e] !== len) continue;
      let same = true;
      for (let k = 0; k < len; k++)
        if (this.keys[e * h + k] !== win[from + k]) {
          same = false;
          break;
        }
      if (same) return e;
    }
    return -1;
  }
}
