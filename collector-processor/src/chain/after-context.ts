/**
 * The lines after an anomaly: its record is stored at once with the lines before it, and the lines
 * after it are read from its service's context ring (by the sequence number of its own line) once
 * `lines` of them have arrived, or when `waitMs` has passed with those that came, or when the ring
 * is about to lose them. Nothing is copied while waiting: a watch is an id, a ring, a session id and
 * a number, and past `maxPending` watches the oldest are written with what they have at the next check,
 * so an anomaly storm costs a bounded list, and the lines themselves stay within the ring's bytes.
 */
import type { ContextLineOut, ContextRing } from '../model/context-ring';

export interface AfterLines {
  id: string;
  lines: ContextLineOut[];
}

export interface AfterContextOptions {
  /** Lines wanted after each anomaly; 0 turns watching off. */
  lines: number;
  /** Wall-clock wait for them, from the anomaly's detection. */
  waitMs: number;
  /** Watches at once at most. */
  maxPending: number;
  /** Receives the anomalies whose lines after are complete (or whose wait ended), in one call per check. */
  write(done: AfterLines[]): void;
}

interface Watch {
  id: string;
  ring: ContextRing;
  sessionId: string | undefined;
  /** Sequence number of the first line after the anomaly's own. */
  fromSeq: number;
  deadlineMs: number;
}

export class AfterContext {
  /** In detection order, so deadlines ascend. */
  private pending: Watch[] = [];

  constructor(private readonly o: AfterContextOptions) {}

  get size(): number {
    return this.pending.length;
  }

  /** Watch the lines after an anomaly whose own line was the last pushed to `ring`. */
  watch(id: string, ring: ContextRing, sessionId: string | undefined, nowMs: number): void {
    if (this.o.lines <= 0) return;
    this.pending.push({ id, ring, sessionId, fromSeq: ring.nextSeq, deadlineMs: nowMs + this.o.waitMs });
  }

  /**
   * Write those whose lines are all there, whose wait ended, or whose lines the ring starts to drop,
   * and the oldest beyond maxPending. Called after the batch's anomalies were queued for the store
   * (a watch added meanwhile is written after its insert).
   */
  check(nowMs: number): void {
    if (!this.pending.length) return;
    const done: AfterLines[] = [];
    const still: Watch[] = [];
    const over = this.pending.length - this.o.maxPending;
    for (let k = 0; k < this.pending.length; k++) {
      const w = this.pending[k];
      if (k < over || this.ready(w, nowMs)) done.push(this.take(w));
      else still.push(w);
    }
    this.pending = still;
    if (done.length) this.o.write(done);
  }

  /** Write every watch with the lines it has (shutdown). */
  flush(): void {
    const all = this.pending.splice(0);
    if (all.length) this.o.write(all.map((w) => this.take(w)));
  }

  private ready(w: Watch, nowMs: number): boolean {
    if (nowMs >= w.deadlineMs) return true;
    // The anomaly's own line gone from the ring (and a line after it there): the lines after go next.
    if (w.ring.oldestSeq >= w.fromSeq && w.ring.nextSeq > w.fromSeq) return true;
    const arrived = w.ring.nextSeq - w.fromSeq;
    if (arrived < this.o.lines) return false;
    // Without a session every line counts; with one only its lines do.
    return w.sessionId === undefined || w.ring.countAfter(w.fromSeq, this.o.lines, w.sessionId) >= this.o.lines;
  }

  private take(w: Watch): AfterLines {
    return { id: w.id, lines: w.ring.linesAfter(w.fromSeq, this.o.lines, w.sessionId) };
  }
}
