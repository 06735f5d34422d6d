/**
 * The live DeepLog model of one service: an LSTM trained on the template sequences of its
 * sessions, scoring each record of a session as it arrives. A session's state is a slot of the
 * LSTM's typed-array session table (its last h templates); predictions are memoised per window,
 * so a record costs a hash and a lookup most of the time. Open sessions are bounded: the least
 * recently active one is closed first.
 *
 * A session already under way when the model starts scoring is "cut": its first record here is not
 * its start, and judged from an empty window it would look like a session starting the wrong way. Its
 * records are not judged until the window holds h of them, from then on the window is the one its
 * whole history would give (DeepLog's prediction depends on the last h keys only).
 */
import type { LstmDetector } from '../detect/lstm';
import { detectorFactory } from '../detect/registry';
import { StartWindow } from './start-window';

export interface SequenceVerdict {
  /** 0-based rank of the record's template among the predicted next templates. */
  rank: number;
  /** Its predicted probability (0 for a template the model never saw). */
  probability: number;
  /** > 0 when the LSTM's rule flags it (see LstmSessions.severityNext). */
  severity: number;
  /** > 0 when the record takes its template over the most any normal session had (lstm-counts.ts). */
  countSeverity: number;
  anomalous: boolean;
  unseen: boolean;
}

/** The records a service saw before this model scored (its record buffer), for startAfter. */
export interface EarlierRecords {
  /** Calls `visit` with the records that have a session, newest first, while it returns true. */
  forEachNewestFirst(visit: (sessionId: string, templateId: string, timeMs: number) => boolean): void;
}

/** A session open at the newest earlier record, as the walk back found it. */
interface Found {
  /** Its last templates, newest first (h at most). */
  readonly templates: string[];
  readonly lastMs: number;
  /** Its oldest record met so far. */
  firstMs: number;
}

export class SequenceModel {
  private readonly open = new Map<string, number>();
  /** Cut sessions (see above) → how many of their records the window holds, until it holds h. */
  private readonly cut = new Map<string, number>();
  /** Without earlier records (a model restored at start-up): the sessions that may have begun before it. */
  private readonly start = new StartWindow();
  /** Record time (ms) of each open session's last record; the newest record time seen is the clock. */
  private readonly lastMs = new Map<string, number>();
  private clockMs = 0;
  /** At most the last record time of the least recently active open session (see closeIdle). */
  private oldestMs = -Infinity;
  private readonly ids: string[];
  private readonly verdict: SequenceVerdict = {
    rank: 0,
    probability: 0,
    severity: 0,
    countSeverity: -Infinity,
    anomalous: false,
    unseen: false,
  };

  constructor(
    readonly lstm: LstmDetector,
    /** Template id → the LSTM's key. */
    readonly vocab: ReadonlyMap<string, number>,
    private readonly maxOpen: number,
  ) {
    this.ids = [];
    for (const [id, k] of vocab) this.ids[k] = id;
  }

  /**
   * The configured top-g, capped at a third of the service's templates: with g at or above the
   * number of templates every record is "expected" and the LSTM could never flag anything (DeepLog's
   * g=9 was set for HDFS's 28 keys; the demo's storage service has 7 templates).
   */
  get topG(): number {
    return Math.min(this.lstm.opts.topG, Math.max(1, Math.ceil(this.vocab.size / 3)));
  }

  get openSessions(): number {
    return this.open.size;
  }

  /**
   * Scores the session's next record and advances its state. The returned object is reused.
   * Sessions idle for longer than `idleMs` (record time) are closed first: a session id seen again
   * after that starts a new session, as the config's "close after inactivity" says.
   */
  push(sessionId: string, templateId: string, timeMs = 0, idleMs = Infinity): SequenceVerdict {
    const s = this.lstm.streams();
    if (timeMs > this.clockMs) this.clockMs = timeMs;
    this.start.see(this.clockMs, idleMs);
    this.closeIdle(this.clockMs - idleMs);
    const slot = this.touch(sessionId, timeMs || this.clockMs, this.start.mayHaveBegunBefore(this.clockMs));
    const key = this.vocab.get(templateId) ?? -1;
    const v = this.verdict;
    v.unseen = key < 0 || !s.isKnown(key);
    s.judgeNext(slot, key, v);
    // The model's own rule; the rank rule with g capped for small vocabularies (see topG).
    v.anomalous = this.usesRanks ? v.rank >= this.topG || v.countSeverity > 0 : v.severity > 0;
    if (this.cut.size > 0 && this.isCut(sessionId)) {
      v.anomalous = false;
      v.severity = Math.min(v.severity, 0);
      v.countSeverity = Math.min(v.countSeverity, 0);
    }
    return v;
  }

  /** True while a cut session's window holds fewer than h of its records (counting this one in). */
  private isCut(sessionId: string): boolean {
    const held = this.cut.get(sessionId);
    if (held === undefined) return false;
    if (held >= this.lstm.streams().model.h) {
      this.cut.delete(sessionId);
      return false;
    }
    this.cut.set(sessionId, held + 1);
    return true;
  }

  /**
   * The sessions still open at the newest of the service's earlier records (last record within
   * `idleMs` of it) get their last h templates as their windows, so the next record of a session under
   * way is judged on its history. The walk back stops once every such session has h records, or has
   * none within `idleMs` before its oldest (it began there); one that reaches the oldest record with
   * fewer, its first within `idleMs` of that, may have begun earlier and is cut. A model that already
   * scored is left as it is.
   */
  startAfter(earlier: EarlierRecords, idleMs: number): void {
    if (this.clockMs > 0 || this.open.size > 0) return;
    const h = this.lstm.streams().model.h;
    const found = new Map<string, Found>();
    const ended = new Set<string>();
    let newestMs = NaN;
    let oldestMs = NaN;
    let filling = 0;
    let fillingFromMs = Infinity;
    let reachedOldest = true;
    earlier.forEachNewestFirst((sessionId, templateId, timeMs) => {
      if (Number.isNaN(newestMs)) newestMs = timeMs;
      if (timeMs < newestMs - idleMs && (filling === 0 || timeMs < fillingFromMs - idleMs)) {
        reachedOldest = false;
        return false;
      }
      oldestMs = timeMs;
      let f = found.get(sessionId);
      if (f === undefined) {
        // its last record is this one: too old, or past the bound, it is not open at the newest
        if (ended.has(sessionId) || timeMs < newestMs - idleMs || found.size >= this.maxOpen) {
          ended.add(sessionId);
          return true;
        }
        found.set(sessionId, (f = { templates: [], lastMs: timeMs, firstMs: timeMs }));
        filling++;
      }
      if (f.templates.length >= h) return true;
      f.templates.push(templateId);
      f.firstMs = timeMs;
      if (f.templates.length === h) filling--;
      else if (timeMs < fillingFromMs) fillingFromMs = timeMs;
      return true;
    });
    if (Number.isNaN(newestMs)) return;
    // found holds the newest session first: open them oldest first, so the recency order is right
    const sessions = [...found];
    const streams = this.lstm.streams();
    for (let i = sessions.length - 1; i >= 0; i--) {
      const [sessionId, f] = sessions[i];
      const cut = f.templates.length < h && reachedOldest && f.firstMs < oldestMs + idleMs;
      const slot = this.touch(sessionId, f.lastMs, cut);
      for (let k = f.templates.length - 1; k >= 0; k--) streams.advance(slot, this.vocab.get(f.templates[k]) ?? -1);
      if (cut) this.cut.set(sessionId, f.templates.length);
    }
    this.clockMs = newestMs;
    this.start.settle();
  }

  /** True for DeepLog's rank rule; false for the probability rule (thresholds fitted in training). */
  get usesRanks(): boolean {
    return this.lstm.streams().model.thresholds === undefined;
  }

  /** Why a flagged record is anomalous, in words (before the expected templates). */
  ruleReason(v: SequenceVerdict): string {
    if (v.countSeverity > 0) return 'template occurs more often than in any normal session';
    if (this.usesRanks) return `template not in the top-${this.topG} expected`;
    const t = this.lstm.streams().model.thresholds!;
    return `template improbable here (p=${v.probability.toPrecision(2)}, below ${t.record.toPrecision(2)})`;
  }

  /** After push: the expected templates for the reason sentence (only built for anomalies). */
  expectedBefore(sessionId: string, n = 3): { templateId: string; probability: number }[] {
    const slot = this.open.get(sessionId);
    if (slot === undefined) return [];
    return this.lstm
      .streams()
      .expected(slot, n)
      .map((e) => ({ templateId: this.ids[e.templateId] ?? 'end of session', probability: e.probability }));
  }

  /** Moves the session's window past the record (after the verdict and its explanation). */
  advance(sessionId: string, templateId: string): void {
    const slot = this.open.get(sessionId);
    if (slot !== undefined) this.lstm.streams().advance(slot, this.vocab.get(templateId) ?? -1);
  }

  /** The session's slot, opened (and cut when `cutIfNew`) if it is new, made the most recent. */
  private touch(sessionId: string, timeMs: number, cutIfNew: boolean): number {
    let slot = this.open.get(sessionId);
    if (slot === undefined) {
      if (this.open.size >= this.maxOpen) this.closeOldest();
      slot = this.lstm.streams().open();
      if (cutIfNew) this.cut.set(sessionId, 0);
    } else this.open.delete(sessionId); // re-inserted below: Map order is recency
    this.open.set(sessionId, slot);
    this.lastMs.set(sessionId, timeMs);
    if (timeMs < this.oldestMs) this.oldestMs = timeMs;
    return slot;
  }

  private closeOldest(): void {
    const [id, slot] = this.open.entries().next().value as [string, number];
    this.open.delete(id);
    this.lastMs.delete(id);
    this.cut.delete(id);
    this.lstm.streams().close(slot);
  }

  /**
   * Closes sessions last active before `beforeMs`; the map's order is recency, so stop at the first
   * newer. Reaching the least recent entry walks over the map's deleted entries (every record moves its
   * session to the end), so it is only looked for once the clock may have passed it: `oldestMs` is
   * at most the least recent session's last record time.
   */
  private closeIdle(beforeMs: number): void {
    if (beforeMs <= this.oldestMs) return;
    for (const id of this.open.keys()) {
      const last = this.lastMs.get(id) ?? 0;
      if (last >= beforeMs) {
        this.oldestMs = last;
        return;
      }
      this.closeOldest();
    }
    this.oldestMs = Infinity;
  }

  toJSON(): { vocab: [string, number][]; lstm: string; maxOpen: number } {
    return {
      vocab: [...this.vocab],
      lstm: Buffer.from(this.lstm.serialize()).toString('base64'),
      maxOpen: this.maxOpen,
    };
  }

  static fromJSON(j: { vocab?: [string, number][]; lstm?: string; maxOpen?: number }): SequenceModel {
    if (!Array.isArray(j?.vocab) || typeof j.lstm !== 'string') throw new Error('sequence model lacks vocab or lstm');
    const lstm = detectorFactory('lstm').load(Buffer.from(j.lstm, 'base64'));
    return new SequenceModel(lstm, new Map(j.vocab), j.maxOpen ?? 100_000);
  }
}
