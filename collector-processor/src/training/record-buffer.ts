/**
 * The last `capacity` records of one service, as typed-array columns: what the service's models
 * learn from (first training after the learning phase, then retraining on a sliding window).
 * Template ids are interned per buffer so a row is a few numbers, not a string.
 */
export interface BufferedRecord {
  templateId: string;
  severityNumber: number;
  tokens: number;
  timeMs: number;
  /** The record's session, when the service's session key gives one (sequence models train on these). */
  sessionId?: string;
}

/** The buffer's rows in order, as plain columns a worker thread can receive (structured clone). */
export interface BufferSnapshot {
  capacity: number;
  templateIds: string[];
  template: Int32Array;
  severity: Uint8Array;
  tokens: Float32Array;
  timeMs: Float64Array;
  sessionIds: (string | undefined)[];
}

export class RecordBuffer {
  readonly template: Int32Array;
  readonly severity: Uint8Array;
  readonly tokens: Float32Array;
  readonly timeMs: Float64Array;
  /** References to the session id strings the records already carry (no copies). */
  readonly sessionIds: (string | undefined)[];
  /** Interned template ids: index → id. */
  readonly templateIds: string[] = [];
  private readonly index = new Map<string, number>();
  private next = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    this.template = new Int32Array(capacity);
    this.severity = new Uint8Array(capacity);
    this.tokens = new Float32Array(capacity);
    this.timeMs = new Float64Array(capacity);
    this.sessionIds = new Array<string | undefined>(capacity);
  }

  get size(): number {
    return this.filled;
  }

  push(r: BufferedRecord): void {
    this.pushFields(r.templateId, r.severityNumber, r.tokens, r.timeMs, r.sessionId);
  }

  /** push() without a record object: the live path buffers every record it scores. */
  pushFields(templateId: string, severityNumber: number, tokens: number, timeMs: number, sessionId?: string): void {
    const i = this.next;
    this.template[i] = this.intern(templateId);
    this.severity[i] = severityNumber;
    this.tokens[i] = tokens;
    this.timeMs[i] = timeMs;
    this.sessionIds[i] = sessionId;
    this.next = (i + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  /** Row positions oldest first. */
  rows(): Int32Array {
    const out = new Int32Array(this.filled);
    const start = this.filled < this.capacity ? 0 : this.next;
    for (let k = 0; k < this.filled; k++) out[k] = (start + k) % this.capacity;
    return out;
  }

  snapshot(): BufferSnapshot {
    const rows = this.rows();
    return {
      capacity: this.capacity,
      templateIds: this.templateIds.slice(),
      template: Int32Array.from(rows, (r) => this.template[r]),
      severity: Uint8Array.from(rows, (r) => this.severity[r]),
      tokens: Float32Array.from(rows, (r) => this.tokens[r]),
      timeMs: Float64Array.from(rows, (r) => this.timeMs[r]),
      sessionIds: Array.from(rows, (r) => this.sessionIds[r]),
    };
  }

  /** Rows beyond `capacity` (a smaller buffer) keep only the newest, as pushing them would. */
  static fromSnapshot(s: BufferSnapshot): RecordBuffer {
    const b = new RecordBuffer(Math.max(1, s.capacity));
    for (let i = 0; i < s.template.length; i++)
      b.push({
        templateId: s.templateIds[s.template[i]],
        severityNumber: s.severity[i],
        tokens: s.tokens[i],
        timeMs: s.timeMs[i],
        sessionId: s.sessionIds[i],
      });
    return b;
  }

  /** Template-id sequences of the buffered sessions, oldest record first within each. */
  sessions(): string[][] {
    return Array.from(this.grouped().bySession.values(), (g) => g.templates);
  }

  /**
   * sessions(), and per session in its order 1 when its last record came within `idleMs` of the newest
   * buffered record, so it may still be under way (its later records not buffered yet): one pass.
   */
  sessionsUnderWay(idleMs: number): { sessions: string[][]; underWay: Uint8Array } {
    const { bySession, newestMs } = this.grouped();
    const sessions: string[][] = [];
    const underWay = new Uint8Array(bySession.size);
    for (const g of bySession.values()) {
      underWay[sessions.length] = g.lastMs > newestMs - idleMs ? 1 : 0;
      sessions.push(g.templates);
    }
    return { sessions, underWay };
  }

  /** Calls `visit` with the buffered records that have a session, newest first, while it returns true. */
  forEachNewestFirst(visit: (sessionId: string, templateId: string, timeMs: number) => boolean): void {
    for (let k = 1; k <= this.filled; k++) {
      const r = (this.next - k + this.capacity) % this.capacity;
      const sessionId = this.sessionIds[r];
      if (sessionId !== undefined && !visit(sessionId, this.templateIds[this.template[r]], this.timeMs[r])) return;
    }
  }

  /** The buffered sessions in order of their first record, and the newest record's time. */
  private grouped(): { bySession: Map<string, { templates: string[]; lastMs: number }>; newestMs: number } {
    const bySession = new Map<string, { templates: string[]; lastMs: number }>();
    let newestMs = -Infinity;
    for (const r of this.rows()) {
      const t = this.timeMs[r];
      if (t > newestMs) newestMs = t;
      const id = this.sessionIds[r];
      if (id === undefined) continue;
      let g = bySession.get(id);
      if (!g) bySession.set(id, (g = { templates: [], lastMs: t }));
      g.templates.push(this.templateIds[this.template[r]]);
      if (t > g.lastMs) g.lastMs = t;
    }
    return { bySession, newestMs };
  }

  /** Time span of the buffered records (ms), for the model version's trainedFrom/To. */
  span(): { fromMs: number; toMs: number } {
    const rows = this.rows();
    if (rows.length === 0) return { fromMs: 0, toMs: 0 };
    return { fromMs: this.timeMs[rows[0]], toMs: this.timeMs[rows[rows.length - 1]] };
  }

  private intern(id: string): number {
    let k = this.index.get(id);
    if (k === undefined) {
      k = this.templateIds.length;
      this.templateIds.push(id);
      this.index.set(id, k);
    }
    return k;
  }
}
