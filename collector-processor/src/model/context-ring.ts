/**
 * The last lines of a service, kept so an anomaly can be stored with the lines before it (of its
 * session when it has one) and, a little later, the lines after it (linesAfter, by the sequence
 * number its own line got). Bounded in lines and in bytes: a line longer than `maxLineChars` is
 * kept cut (as a copy, so the long original can be collected), and the oldest lines go when the
 * ring's bytes pass `maxBytes`. With one ring per service and at most maxServices rings, the rings'
 * bytes together stay under maxServices × maxBytes.
 */
export interface ContextLineOut {
  time: string;
  templateId: string;
  message: string;
  isAnomaly: boolean;
}

export interface ContextRingLimits {
  /** Lines an anomaly's context holds before it. */
  lineCount: number;
  /** Lines it holds after it (0 when unset). */
  afterCount?: number;
  /** Longest line kept, in UTF-16 code units; longer lines are cut. */
  maxLineChars: number;
  /** Bytes the ring's lines may hold together (strings counted at two bytes a code unit). */
  maxBytes: number;
}

/** Lines kept per service, so a session's previous lines are likely still here. */
const SPAN = 8;
/** What a kept line costs beside its strings: slots, string headers. */
const LINE_OVERHEAD_BYTES = 64;

export class ContextRing {
  readonly lineCount: number;
  private readonly time: Float64Array;
  private readonly template: string[];
  private readonly message: string[];
  private readonly session: (string | undefined)[];
  private readonly anomalous: Uint8Array;
  private readonly cost: Float64Array;
  /** Slot of the oldest line kept. */
  private first = 0;
  /** Sequence number of the oldest line kept (lines are numbered from 0 as pushed). */
  private firstSeq = 0;
  private filled = 0;
  private heldBytes = 0;

  constructor(private readonly limits: ContextRingLimits) {
    this.lineCount = limits.lineCount;
    const n = Math.max(1, Math.max(limits.lineCount, limits.afterCount ?? 0) * SPAN);
    this.time = new Float64Array(n);
    this.template = new Array(n);
    this.message = new Array(n);
    this.session = new Array(n);
    this.anomalous = new Uint8Array(n);
    this.cost = new Float64Array(n);
  }

  /** Bytes the ring's lines hold now (as counted against maxBytes). */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Sequence number the next line pushed gets. */
  get nextSeq(): number {
    return this.firstSeq + this.filled;
  }

  /** Sequence number of the oldest line still kept (nextSeq when none is). */
  get oldestSeq(): number {
    return this.firstSeq;
  }

  push(timeMs: number, templateId: string, message: string, isAnomaly: boolean, sessionId?: string): void {
    if (this.limits.lineCount === 0 && !this.limits.afterCount) return;
    const kept = message.length > this.limits.maxLineChars ? copyOf(message, this.limits.maxLineChars) : message;
    const cost = LINE_OVERHEAD_BYTES + 2 * (kept.length + templateId.length + (sessionId?.length ?? 0));
    const n = this.time.length;
    if (this.filled === n) this.dropOldest();
    while (this.filled > 0 && this.heldBytes + cost > this.limits.maxBytes) this.dropOldest();
    if (cost > this.limits.maxBytes) {
      // Not kept (the loop above emptied the ring) but numbered, so nextSeq still counts it.
      this.firstSeq++;
      return;
    }
    const i = (this.first + this.filled) % n;
    this.time[i] = timeMs;
    this.template[i] = templateId;
    this.message[i] = kept;
    this.session[i] = sessionId;
    this.anomalous[i] = isAnomaly ? 1 : 0;
    this.cost[i] = cost;
    this.heldBytes += cost;
    this.filled++;
  }

  /** Up to lineCount lines before now, oldest first; only the session's lines when one is given. */
  lines(sessionId?: string): ContextLineOut[] {
    const out: ContextLineOut[] = [];
    const n = this.time.length;
    for (let k = this.filled - 1; k >= 0 && out.length < this.lineCount; k--) {
      const i = (this.first + k) % n;
      if (sessionId !== undefined && this.session[i] !== sessionId) continue;
      out.push(this.lineAt(i));
    }
    return out.reverse();
  }

  /** Up to lineCount lines timed within [fromMs, toMs] (a window's own lines), the latest ones, oldest first. */
  linesBetween(fromMs: number, toMs: number): ContextLineOut[] {
    const out: ContextLineOut[] = [];
    const n = this.time.length;
    for (let k = this.filled - 1; k >= 0 && out.length < this.lineCount; k--) {
      const i = (this.first + k) % n;
      if (this.time[i] >= fromMs && this.time[i] <= toMs) out.push(this.lineAt(i));
    }
    return out.reverse();
  }

  /**
   * Up to `max` lines from sequence number `fromSeq` on (those still kept), oldest first; only the
   * session's lines when one is given.
   */
  linesAfter(fromSeq: number, max: number, sessionId?: string): ContextLineOut[] {
    const out: ContextLineOut[] = [];
    const n = this.time.length;
    for (let k = Math.max(0, fromSeq - this.firstSeq); k < this.filled && out.length < max; k++) {
      const i = (this.first + k) % n;
      if (sessionId !== undefined && this.session[i] !== sessionId) continue;
      out.push(this.lineAt(i));
    }
    return out;
  }

  /** How many of those linesAfter would give, counted without building them (up to `max`). */
  countAfter(fromSeq: number, max: number, sessionId?: string): number {
    let n = 0;
    const size = this.time.length;
    for (let k = Math.max(0, fromSeq - this.firstSeq); k < this.filled && n < max; k++)
      if (sessionId === undefined || this.session[(this.first + k) % size] === sessionId) n++;
    return n;
  }

  private lineAt(i: number): ContextLineOut {
    return {
      time: new Date(this.time[i]).toISOString(),
      templateId: this.template[i],
      message: this.message[i],
      isAnomaly: this.anomalous[i] === 1,
    };
  }

  private dropOldest(): void {
    const i = this.first;
    this.heldBytes -= this.cost[i];
    this.template[i] = '';
    this.message[i] = '';
    this.session[i] = undefined;
    this.first = (i + 1) % this.time.length;
    this.firstSeq++;
    this.filled--;
  }
}

/**
 * The first `chars` code units as a string of their own: a plain slice may share the long
 * original's storage and keep it alive as long as the cut line is kept.
 */
function copyOf(s: string, chars: number): string {
  let end = chars;
  // Do not split a surrogate pair.
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return Buffer.from(s.slice(0, end), 'utf16le').toString('utf16le');
}
