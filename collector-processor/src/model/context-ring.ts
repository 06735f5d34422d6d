/**
 * The last N lines of a service, kept as references to strings the batch already holds: an
 * anomaly's context is the lines before it (of its session when it has one).
 */
export interface ContextLineOut {
  time: string;
  templateId: string;
  message: string;
  isAnomaly: boolean;
}

/** Lines kept per service, so a session's previous lines are likely still here. */
const SPAN = 8;

export class ContextRing {
  private readonly time: Float64Array;
  private readonly template: string[];
  private readonly message: string[];
  private readonly session: (string | undefined)[];
  private readonly anomalous: Uint8Array;
  private next = 0;
  private filled = 0;

  constructor(readonly lineCount: number) {
    const n = Math.max(1, lineCount * SPAN);
    this.time = new Float64Array(n);
    this.template = new Array(n);
    this.message = new Array(n);
    this.session = new Array(n);
    this.anomalous = new Uint8Array(n);
  }

  push(timeMs: number, templateId: string, message: string, isAnomaly: boolean, sessionId?: string): void {
    const i = this.next;
    this.time[i] = timeMs;
    this.template[i] = templateId;
    this.message[i] = message;
    this.session[i] = sessionId;
    this.anomalous[i] = isAnomaly ? 1 : 0;
    this.next = (i + 1) % this.time.length;
    if (this.filled < this.time.length) this.filled++;
  }

  /** Up to lineCount lines before now, oldest first; only the session's lines when one is given. */
  lines(sessionId?: string): ContextLineOut[] {
    const out: ContextLineOut[] = [];
    const n = this.time.length;
    for (let k = 1; k <= this.filled && out.length < this.lineCount; k++) {
      const i = (this.next - k + n) % n;
      if (sessionId !== undefined && this.session[i] !== sessionId) continue;
      out.push({
        time: new Date(this.time[i]).toISOString(),
        templateId: this.template[i],
        message: this.message[i],
        isAnomaly: this.anomalous[i] === 1,
      });
    }
    return out.reverse();
  }
}
