import type { ServiceSummary } from '@anomalog/shared';

/** One annotated output line of `anomalog score`. */
export interface ScoredLine {
  line: number;
  service: string;
  message: string;
  templateId?: string;
  template?: string;
  sessionId?: string;
  score: number | null;
  isAnomaly: boolean;
  detector?: string;
  reason?: string;
}

const TOP = 20;

/** What `anomalog score` reports at the end: counts, the top anomalies and the templates by count. */
export class Summary {
  private lines = 0;
  private anomalies = 0;
  private readonly top: ScoredLine[] = [];
  private readonly byTemplate = new Map<string, { template: string; count: number; anomalies: number }>();

  add(l: ScoredLine): void {
    this.lines++;
    const key = l.templateId ?? '';
    let t = this.byTemplate.get(key);
    if (!t) this.byTemplate.set(key, (t = { template: l.template ?? '', count: 0, anomalies: 0 }));
    t.count++;
    if (!l.isAnomaly) return;
    this.anomalies++;
    t.anomalies++;
    if (this.top.length < TOP || (l.score ?? 0) > (this.top[this.top.length - 1].score ?? 0)) {
      this.top.push(l);
      this.top.sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.line - b.line);
      if (this.top.length > TOP) this.top.pop();
    }
  }

  result(extra: { file: string; learnedOn: number; services: ServiceSummary[] }) {
    return {
      file: extra.file,
      lines: this.lines,
      learnedOn: extra.learnedOn,
      anomalies: this.anomalies,
      models: extra.services.map((s) => ({
        service: s.service,
        status: s.status,
        version: s.activeVersion,
        error: s.lastError,
      })),
      topAnomalies: this.top,
      templates: [...this.byTemplate.entries()]
        .map(([templateId, t]) => ({ templateId, ...t }))
        .sort((a, b) => b.count - a.count)
        .slice(0, 50),
    };
  }
}
