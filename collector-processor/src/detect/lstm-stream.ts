/**
 * Streaming DeepLog scoring. DeepLog predicts the next key from the last h keys starting from a
 * fresh LSTM state, so a session's state is just its last h keys (a row of a typed array), and the
 * prediction depends on nothing else: it is memoised per h-gram in a small set-associative cache
 * shared by all sessions (log sessions repeat the same windows massively). A cache miss runs the
 * Float32Array kernel over the h keys once; a hit costs a hash, an h-key compare and one lookup.
 * Results are therefore identical to computing every window from scratch.
 */
import type { LstmKernel } from './lstm-kernel';
import type { CountBounds } from './lstm-counts';
import * as hash from '../util/hash';

// Bound once (see logs-decode.ts): a named import is a getter call per use in CommonJS (tsx and dist/ alike).
const { FNV_OFFSET, fnvMix } = hash;

export interface StreamModel {
  readonly kernel: LstmKernel;
  readonly h: number;
  /** Input padding key (= vocab). */
  readonly pad: number;
  readonly vocab: number;
  /** Output class of "session ends here", -1 when the model has none. */
  readonly end: number;
  /** known[key] = 1 for keys seen in training. */
  readonly known: Uint8Array;
  readonly topG: number;
  /**
   * The probability rule: a record is anomalous when its template's predicted probability is below
   * `record`, a session end when "end" is below `end` (thresholds fitted on training sessions).
   * Undefined: DeepLog's rank rule (outside the top g).
   */
  readonly thresholds?: { readonly record: number; readonly end: number };
  /**
   * Per-session template count bounds (lstm-counts.ts): a record one over its template's bound, or a
   * session end under a template's lower bound, is anomalous whatever the LSTM predicts.
   */
  readonly counts?: CountBounds;
}

const WAYS = 4;
/** Severity of a template never seen in training (probability 0), in decades below the threshold. */
const UNSEEN_SEVERITY = 30;

/** h-gram → rank of every class, plus probabilities for explanations. */
export class WindowCache {
  readonly classes: number;
  private readonly sets: number;
  private readonly keys: Int32Array;
  private readonly used: Uint32Array;
  private readonly ranks: Uint16Array;
  private readonly probs: Float32Array;
  private readonly order: Int32Array;
  private clock = 1;
  hits = 0;
  misses = 0;

  constructor(
    private readonly model: StreamModel,
    capacity = 16384,
  ) {
    this.classes = model.kernel.w.classes;
    // Bound memory for large vocabularies (about 24 MB of tables at most).
    const fit = Math.max(WAYS, Math.floor((24 << 20) / (this.classes * 6 + model.h * 4)));
    let entries = WAYS;
    while (entries * 2 <= Math.min(capacity, fit)) entries *= 2;
    this.sets = entries / WAYS;
    this.keys = new Int32Array(entries * model.h).fill(-1);
    this.used = new Uint32Array(entries);
    this.ranks = new Uint16Array(entries * this.classes);
    this.probs = new Float32Array(entries * this.classes);
    this.order = new Int32Array(this.classes);
  }

  /** Entry index holding the predictions after `win` (h keys at `from`). */
  entry(win: Int32Array, from: number): number {
    const h = this.model.h;
    let hash = FNV_OFFSET;
    for (let k = 0; k < h; k++) hash = fnvMix(hash, win[from + k]);
    hash ^= hash >>> 15;
    const base = (hash & (this.sets - 1)) * WAYS;
    let victim = base;
    for (let e = base; e < base + WAYS; e++) {
      let same = true;
      const at = e * h;
      for (let k = 0; k < h; k++)
        if (this.keys[at + k] !== win[from + k]) {
          same = false;
          break;
        }
      if (same) {
        this.hits++;
        this.used[e] = this.clock++;
        return e;
      }
      if (this.used[e] < this.used[victim]) victim = e;
    }
    this.misses++;
    this.fill(victim, win, from);
    return victim;
  }

  private fill(e: number, win: Int32Array, from: number): void {
    const { h, kernel } = this.model;
    const c = this.classes;
    for (let k = 0; k < h; k++) this.keys[e * h + k] = win[from + k];
    this.used[e] = this.clock++;
    const p = kernel.predictWindow(win, from, from + h);
    this.probs.set(p, e * c);
    const order = this.order;
    for (let j = 0; j < c; j++) order[j] = j;
    order.sort((a, b) => p[b] - p[a]);
    // Rank = how many classes are strictly more probable (ties share a rank).
    for (let r = 0; r < c; r++) {
      const j = order[r];
      this.ranks[e * c + j] = r > 0 && p[order[r - 1]] === p[j] ? this.ranks[e * c + order[r - 1]] : r;
    }
  }

  rank(e: number, cls: number): number {
    return this.ranks[e * this.classes + cls];
  }

  prob(e: number, cls: number): number {
    return this.probs[e * this.classes + cls];
  }
}

export interface Expected {
  readonly templateId: number;
  readonly probability: number;
}

/**
 * Many sessions' streaming state in typed arrays: each open session is a slot holding its last h
 * (mapped) keys. `push` scores one record in O(h) on a cache hit and allocates nothing.
 */
export class LstmSessions {
  /** Rank reported for a template never seen in training. */
  readonly unseenRank: number;
  readonly cache: WindowCache;
  private windows: Int32Array;
  /** Per slot, the session's count of each template with a count bound (CountBounds.tracked). */
  private counts: Uint16Array;
  private readonly tracked: number;
  private readonly free: number[] = [];
  private slots = 0;

  constructor(
    readonly model: StreamModel,
    initialSlots = 64,
    cache?: WindowCache,
  ) {
    this.cache = cache ?? new WindowCache(model);
    this.unseenRank = Math.max(this.cache.classes, model.topG);
    this.windows = new Int32Array(Math.max(1, initialSlots) * model.h);
    this.tracked = model.counts?.tracked.length ?? 0;
    this.counts = new Uint16Array(Math.max(1, initialSlots) * this.tracked);
  }

  /** Starts a session; returns its slot. */
  open(): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.slots++;
      if (this.slots * this.model.h > this.windows.length) {
        const grown = new Int32Array(this.windows.length * 2);
        grown.set(this.windows);
        this.windows = grown;
        const counts = new Uint16Array((this.windows.length / this.model.h) * this.tracked);
        counts.set(this.counts);
        this.counts = counts;
      }
    }
    this.reset(slot);
    return slot;
  }

  /** Empties the slot's window (a new session in the same slot). */
  reset(slot: number): void {
    this.windows.fill(this.model.pad, slot * this.model.h, (slot + 1) * this.model.h);
    this.counts.fill(0, slot * this.tracked, (slot + 1) * this.tracked);
  }

  /** Rank of `key` among the predictions for the session's next record; then the window advances. */
  push(slot: number, key: number): number {
    const rank = this.rankNext(slot, key);
    this.advance(slot, key);
    return rank;
  }

  /** Rank of `key` as the session's next record, without advancing. */
  rankNext(slot: number, key: number): number {
    if (!this.isKnown(key)) return this.unseenRank;
    return this.cache.rank(this.cache.entry(this.windows, slot * this.model.h), key);
  }

  /** Appends `key` to the session's window (unseen keys enter as padding, as in training). */
  advance(slot: number, key: number): void {
    const h = this.model.h;
    const at = slot * h;
    const w = this.windows;
    for (let k = at; k < at + h - 1; k++) w[k] = w[k + 1];
    w[at + h - 1] = this.isKnown(key) ? key : this.model.pad;
    const b = this.model.counts;
    if (b && this.isKnown(key)) {
      const t = b.slotOf[key];
      if (t >= 0 && this.counts[slot * this.tracked + t] < 0xffff) this.counts[slot * this.tracked + t]++;
    }
  }

  /**
   * How far `key` as the session's next record is over its template's count bound (> 0 when over;
   * -Infinity within bounds, for templates without an upper bound and for models without counts).
   */
  severityCount(slot: number, key: number): number {
    const b = this.model.counts;
    if (!b || !this.isKnown(key)) return -Infinity;
    const t = b.slotOf[key];
    return t < 0 ? -Infinity : b.severityOver(key, this.counts[slot * this.tracked + t] + 1);
  }

  /** The template the session has fewer of than every normal session (-1: none), with the severity. */
  countsUnder(slot: number): { severity: number; key: number } {
    const b = this.model.counts;
    return b ? b.severityUnder(this.counts, slot * this.tracked) : { severity: -Infinity, key: -1 };
  }

  /** How many times `key` occurred in the session so far (tracked templates only, else -1). */
  countOf(slot: number, key: number): number {
    const t = this.model.counts && this.isKnown(key) ? this.model.counts.slotOf[key] : -1;
    return t < 0 ? -1 : this.counts[slot * this.tracked + t];
  }

  /** Predicted probability of `key` as the session's next record (0 for a template never trained). */
  probNext(slot: number, key: number): number {
    if (!this.isKnown(key)) return 0;
    return this.cache.prob(this.cache.entry(this.windows, slot * this.model.h), key);
  }

  /** Predicted probability that the session ends here (1 when the model learned no session ends). */
  probEnd(slot: number): number {
    const m = this.model;
    return m.end < 0 ? 1 : this.cache.prob(this.cache.entry(this.windows, slot * m.h), m.end);
  }

  /**
   * How anomalous `key` is as the next record, > 0 exactly when the model's rule flags it: rank
   * rule, rank - (g - 1); probability rule, decades below the threshold (log10(threshold / p)).
   */
  severityNext(slot: number, key: number): number {
    const t = this.model.thresholds;
    const c = this.severityCount(slot, key);
    if (!t) return Math.max(this.rankNext(slot, key) - (this.model.topG - 1), c);
    const p = this.probNext(slot, key);
    return p > 0 ? Math.max(Math.log10(t.record / p), c) : UNSEEN_SEVERITY;
  }

  /**
   * Rank, probability and severity of `key` as the next record into `out`, from one cache lookup
   * (the live path's per-record call; allocates nothing).
   */
  judgeNext(
    slot: number,
    key: number,
    out: { rank: number; probability: number; severity: number; countSeverity: number },
  ): void {
    const m = this.model;
    if (!this.isKnown(key)) {
      out.rank = this.unseenRank;
      out.probability = 0;
      out.severity = m.thresholds ? UNSEEN_SEVERITY : this.unseenRank - (m.topG - 1);
      out.countSeverity = -Infinity;
      return;
    }
    const e = this.cache.entry(this.windows, slot * m.h);
    out.rank = this.cache.rank(e, key);
    out.probability = this.cache.prob(e, key);
    out.countSeverity = this.severityCount(slot, key);
    const s = m.thresholds ? Math.log10(m.thresholds.record / out.probability) : out.rank - (m.topG - 1);
    out.severity = s > out.countSeverity ? s : out.countSeverity;
  }

  /** As severityNext, for "the session ends here" (never > 0 when the model learned no ends). */
  severityEnd(slot: number): number {
    const v = this.severityEndPredicted(slot);
    const under = this.countsUnder(slot).severity;
    return v > under ? v : under;
  }

  /** The LSTM's part of severityEnd: how unexpected the end is as a prediction (counts aside). */
  severityEndPredicted(slot: number): number {
    const t = this.model.thresholds;
    if (this.model.end < 0) return -1;
    return t ? Math.log10(t.end / Math.max(this.probEnd(slot), 1e-30)) : this.rankEnd(slot) - (this.model.topG - 1);
  }

  isKnown(key: number): boolean {
    return key >= 0 && key < this.model.vocab && this.model.known[key] === 1;
  }

  /** Rank of "the session ends here" (0 when the model learned no session ends), without freeing. */
  rankEnd(slot: number): number {
    const m = this.model;
    return m.end < 0 ? 0 : this.cache.rank(this.cache.entry(this.windows, slot * m.h), m.end);
  }

  /** Rank of "the session ends here"; frees the slot. */
  end(slot: number): number {
    const rank = this.rankEnd(slot);
    this.close(slot);
    return rank;
  }

  /** Frees the slot without scoring the session end. */
  close(slot: number): void {
    this.free.push(slot);
  }

  /** The n most probable next templates (id = vocab means "session end") for the slot. */
  expected(slot: number, n: number): Expected[] {
    const e = this.cache.entry(this.windows, slot * this.model.h);
    const out: Expected[] = [];
    for (let cls = 0; cls < this.cache.classes; cls++) {
      if (this.cache.rank(e, cls) < n) out.push({ templateId: cls, probability: this.cache.prob(e, cls) });
    }
    return out.sort((a, b) => b.probability - a.probability).slice(0, n);
  }

  get openSessions(): number {
    return this.slots - this.free.length;
  }
}

export interface StreamResult {
  anomalous: boolean;
  rank: number;
  /** > 0 exactly when anomalous (see LstmSessions.severityNext). */
  severity: number;
  unseen: boolean;
  /** Expected next templates; filled only when the record is anomalous (explanations are rare). */
  expected: Expected[] | undefined;
}

/** One session's stream, for callers that keep one object per session. */
export class LstmStream {
  private readonly slot: number;
  private readonly result: StreamResult = {
    anomalous: false,
    rank: 0,
    severity: 0,
    unseen: false,
    expected: undefined,
  };

  constructor(private readonly sessions: LstmSessions) {
    this.slot = sessions.open();
  }

  /** Scores the next record. The returned object is reused by the next call. */
  push(key: number): StreamResult {
    const s = this.sessions;
    const r = this.result;
    r.rank = s.rankNext(this.slot, key);
    r.unseen = !s.isKnown(key);
    r.severity = s.severityNext(this.slot, key);
    r.anomalous = r.severity > 0;
    // Explanations need the window before it advances.
    r.expected = r.anomalous ? s.expected(this.slot, s.model.topG) : undefined;
    s.advance(this.slot, key);
    return r;
  }

  /** Scores the session end (an end the model does not expect is anomalous) and frees the state. */
  end(): StreamResult {
    const s = this.sessions;
    const r = this.result;
    r.rank = s.rankEnd(this.slot);
    r.severity = s.severityEnd(this.slot);
    s.close(this.slot);
    r.unseen = false;
    r.anomalous = r.severity > 0;
    r.expected = undefined;
    return r;
  }
}
