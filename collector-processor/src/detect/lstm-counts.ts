/**
 * Per-session template counts learned from the normal training sessions, beside the LSTM (in the
 * spirit of DeepLog's workflow model and of invariant mining): the LSTM sees only the last h keys, so
 * a session that repeats a step once too often, or ends without a step every normal session has,
 * can pass it window by window. For each template the fit keeps the range of its count per
 * training session, and checks a side of that range only when the range's end is a plateau: at
 * least `support` training sessions have exactly that count (e.g. "3 replicas" in HDFS). An end
 * reached by fewer sessions is a tail still growing with more data, not a bound, and is not checked.
 *
 * - Upper bounds are checked as records arrive (one more record of the template than any normal
 *   session had), so they also work in the live stream.
 * - Lower bounds (templates every normal session has at least n times) are checked at the session end.
 */

export interface CountBoundsJson {
  readonly lo: number[];
  readonly hi: number[];
}

/** No upper bound for a template. */
const UNBOUNDED = 0xffff;

export class CountBounds {
  /** Per template: fewest occurrences a session must have (0: not checked). */
  readonly lo: Uint16Array;
  /** Per template: most occurrences a session may have (UNBOUNDED: not checked). */
  readonly hi: Uint16Array;
  /** Templates with a bound, in a dense index (slots keep counts for these only). */
  readonly tracked: Int32Array;
  /** Template → its dense index, or -1. */
  readonly slotOf: Int32Array;

  constructor(lo: Uint16Array, hi: Uint16Array) {
    this.lo = lo;
    this.hi = hi;
    this.slotOf = new Int32Array(lo.length).fill(-1);
    const tracked: number[] = [];
    for (let k = 0; k < lo.length; k++) {
      if (lo[k] > 0 || hi[k] !== UNBOUNDED) {
        this.slotOf[k] = tracked.length;
        tracked.push(k);
      }
    }
    this.tracked = Int32Array.from(tracked);
  }

  /**
   * Bounds from training sessions (keys ≥ vocab are ignored). Templates never seen in training get
   * no bound: the LSTM already flags them as unseen.
   */
  static fit(seqs: readonly ArrayLike<number>[], vocab: number, support: number): CountBounds {
    const lo = new Uint16Array(vocab);
    const hi = new Uint16Array(vocab).fill(UNBOUNDED);
    if (seqs.length < support) return new CountBounds(lo, hi);
    const counts = new Uint32Array(vocab);
    const min = new Uint32Array(vocab).fill(0xffffffff);
    const max = new Uint32Array(vocab);
    const atMin = new Uint32Array(vocab);
    const atMax = new Uint32Array(vocab);
    const seen = new Uint8Array(vocab);
    for (const s of seqs) {
      counts.fill(0);
      for (let i = 0; i < s.length; i++) if (s[i] >= 0 && s[i] < vocab) counts[s[i]]++;
      for (let k = 0; k < vocab; k++) {
        const c = counts[k];
        if (c > 0) seen[k] = 1;
        if (c < min[k]) [min[k], atMin[k]] = [c, 1];
        else if (c === min[k]) atMin[k]++;
        if (c > max[k]) [max[k], atMax[k]] = [c, 1];
        else if (c === max[k]) atMax[k]++;
      }
    }
    for (let k = 0; k < vocab; k++) {
      if (!seen[k]) continue;
      if (min[k] > 0 && atMin[k] >= support) lo[k] = Math.min(min[k], UNBOUNDED - 1);
      if (atMax[k] >= support && max[k] < UNBOUNDED) hi[k] = max[k];
    }
    return new CountBounds(lo, hi);
  }

  /**
   * The bounds widened to admit `seqs` (an online update with sessions known to be normal, e.g.
   * marked as false positives): a count over or under a bound moves the bound to it.
   */
  widen(seqs: readonly ArrayLike<number>[]): CountBounds {
    const lo = this.lo.slice();
    const hi = this.hi.slice();
    const counts = new Uint32Array(lo.length);
    for (const s of seqs) {
      counts.fill(0);
      for (let i = 0; i < s.length; i++) if (s[i] >= 0 && s[i] < lo.length) counts[s[i]]++;
      for (const k of this.tracked) {
        if (counts[k] < lo[k]) lo[k] = counts[k];
        if (hi[k] !== UNBOUNDED && counts[k] > hi[k]) hi[k] = Math.min(counts[k], UNBOUNDED);
      }
    }
    return new CountBounds(lo, hi);
  }

  /**
   * How far `count` occurrences of `key` are over its bound, in decades of (count + 1): > 0 exactly
   * when over it; -Infinity within bounds (it leaves the LSTM's own severity as the record's).
   */
  severityOver(key: number, count: number): number {
    const b = this.hi[key];
    return b === UNBOUNDED || count <= b ? -Infinity : Math.log10((count + 1) / (b + 1));
  }

  /**
   * How far the session's counts (per tracked template, dense) are under the lower bounds: > 0
   * exactly when some template occurred fewer times than in every normal session (-Infinity when
   * none did), with that template.
   */
  severityUnder(counts: ArrayLike<number>, from: number): { severity: number; key: number } {
    let worst = -Infinity;
    let key = -1;
    for (let t = 0; t < this.tracked.length; t++) {
      const k = this.tracked[t];
      const b = this.lo[k];
      if (counts[from + t] >= b) continue;
      const v = Math.log10((b + 1) / (counts[from + t] + 1));
      if (v > worst) [worst, key] = [v, k];
    }
    return { severity: worst, key };
  }

  toJSON(): CountBoundsJson {
    return { lo: Array.from(this.lo), hi: Array.from(this.hi) };
  }

  static fromJSON(j: CountBoundsJson, vocab: number): CountBounds {
    if (!Array.isArray(j?.lo) || !Array.isArray(j?.hi) || j.lo.length !== vocab || j.hi.length !== vocab)
      throw new Error('lstm: model file has broken count bounds');
    return new CountBounds(Uint16Array.from(j.lo), Uint16Array.from(j.hi));
  }
}
