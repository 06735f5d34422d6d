/**
 * DeepLog training pairs: for every record of a session, the window of the previous h keys
 * (left-padded with the padding key, so the first records and short sessions count) and the key
 * that follows; after the last record of a session that ended, the window and the end-of-session
 * key (a session still under way has no end to learn). HDFS-like sessions
 * repeat the same windows massively, so identical pairs are merged and carry their count.
 */

export interface WindowPairs {
  /** count × h window keys, row-major. */
  readonly x: Int32Array;
  /** Next key (or the end key) per pair. */
  readonly y: Int32Array;
  /** How many times the pair occurs. */
  readonly count: Float32Array;
  readonly n: number;
  /** Total pairs before merging (what plain training would iterate over). */
  readonly total: number;
}

export interface WindowSpec {
  readonly h: number;
  /** Input key used for positions before the session start (= vocab). */
  readonly pad: number;
  /** Output class meaning "the session ends here" (= vocab), or -1 to not learn session ends. */
  readonly end: number;
  /** Keys ≥ vocab are skipped (never trained). */
  readonly vocab: number;
  /** known[key] = 1 when the key was seen in training; other keys enter windows as padding. */
  readonly known?: Uint8Array;
}

/** Fills `win` with the h keys before position `at` of `seq` (padding before the start). */
export function windowBefore(seq: ArrayLike<number>, at: number, spec: WindowSpec, win: Int32Array): void {
  const { h, pad } = spec;
  for (let k = 0; k < h; k++) {
    const p = at - h + k;
    const key = p < 0 ? pad : seq[p];
    win[k] = key >= 0 && key < spec.vocab && (!spec.known || spec.known[key]) ? key : pad;
  }
}

/**
 * `at` (per-record mode, see Sequences.records): only the records at these positions of the one
 * sequence are learned, the others are context; a log stream has no session end to learn.
 */
export function windowPairs(
  seqs: readonly ArrayLike<number>[],
  spec: WindowSpec,
  at?: Int32Array,
  underWay?: Uint8Array,
): WindowPairs {
  const { h } = spec;
  const seen = new Map<string, number>();
  const xs: number[] = [];
  const ys: number[] = [];
  const counts: number[] = [];
  const win = new Int32Array(h);
  let total = 0;
  const add = (next: number): void => {
    total++;
    const key = `${win.join(',')}>${next}`;
    const idx = seen.get(key);
    if (idx !== undefined) {
      counts[idx]++;
      return;
    }
    seen.set(key, ys.length);
    for (let k = 0; k < h; k++) xs.push(win[k]);
    ys.push(next);
    counts.push(1);
  };
  const learn = (s: ArrayLike<number>, i: number): void => {
    if (s[i] < 0 || s[i] >= spec.vocab) return;
    windowBefore(s, i, spec, win);
    add(s[i]);
  };
  if (at) for (const i of at) learn(seqs[0], i);
  else
    seqs.forEach((s, q) => {
      for (let i = 0; i < s.length; i++) learn(s, i);
      if (spec.end >= 0 && !underWay?.[q]) {
        windowBefore(s, s.length, spec, win);
        add(spec.end);
      }
    });
  return { x: Int32Array.from(xs), y: Int32Array.from(ys), count: Float32Array.from(counts), n: ys.length, total };
}
