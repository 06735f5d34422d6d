/**
 * Per-session verdicts of `anomalog score`: a session is flagged when one of its records was flagged
 * or its whole count vector was when it closed (the session anomaly the detect stage stores); its
 * score is the highest of those on the one anomaly.score scale, its reason the deciding one's.
 */
import type { Anomaly } from '@anomalog/shared';

export interface SessionVerdict {
  id: string;
  service: string;
  records: number;
  score: number | null;
  flagged: boolean;
  /** What flagged it (or the highest-scoring evidence when nothing did): detector and sentence. */
  reason: string;
  /** Line of the record that decided (absent when the session verdict did). */
  line?: number;
}

export interface SessionRecord {
  line: number;
  service: string;
  sessionId?: string;
  score: number | null;
  isAnomaly: boolean;
  detector?: string;
  reason?: string;
}

export class SessionVerdicts {
  private readonly byKey = new Map<string, SessionVerdict>();

  add(r: SessionRecord): void {
    if (!r.sessionId) return;
    const key = `${r.service}\u0000${r.sessionId}`;
    let v = this.byKey.get(key);
    if (!v)
      this.byKey.set(
        key,
        (v = { id: r.sessionId, service: r.service, records: 0, score: null, flagged: false, reason: '' }),
      );
    v.records++;
    if (r.score === null) return;
    if (better(v, r.isAnomaly, r.score)) {
      v.score = r.score;
      v.flagged ||= r.isAnomaly;
      v.reason = `${r.detector ?? 'record'}: ${r.reason || 'highest record score'}`;
      v.line = r.line;
    }
  }

  /** Session anomalies stored when sessions closed (detector `NAME/session`). */
  addSessionAnomalies(anomalies: readonly Anomaly[]): void {
    for (const a of anomalies) {
      if (!a.sessionId || !a.detector.endsWith('/session')) continue;
      const v = this.byKey.get(`${a.service}\u0000${a.sessionId}`);
      if (!v || !better(v, true, a.score)) continue;
      v.score = a.score;
      v.flagged = true;
      v.reason = `${a.detector}: ${a.reason}`;
      delete v.line;
    }
  }

  /** Flagged sessions first, by score, then the rest by score. */
  list(): SessionVerdict[] {
    return [...this.byKey.values()].sort(
      (a, b) => Number(b.flagged) - Number(a.flagged) || (b.score ?? -1) - (a.score ?? -1) || (a.id < b.id ? -1 : 1),
    );
  }
}

/** A flag outranks no flag; among equals, the higher score decides. */
function better(v: SessionVerdict, flagged: boolean, score: number): boolean {
  if (flagged !== v.flagged) return flagged;
  return v.score === null || score > v.score;
}
