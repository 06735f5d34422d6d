/**
 * The suppressions in force in the live chain ("mark normal" with an optional detector and expiry),
 * consulted by the detect stage only for a record its model flagged: a flagged record of a muted
 * service and template is passed as normal with the suppression named in its reason. Kept in memory
 * from the triage store; the API adds and removes entries as users do.
 */
import type { Suppression } from '@anomalog/shared';

interface Entry {
  readonly s: Suppression;
  /** Infinity: until removed. */
  readonly expiresMs: number;
}

export class LiveSuppressions {
  /** service → template id → entries. */
  private readonly byService = new Map<string, Map<string, Entry[]>>();
  private count = 0;

  constructor(initial: readonly Suppression[] = []) {
    this.replace(initial);
  }

  get size(): number {
    return this.count;
  }

  /** Everything in force becomes `list` (a reload from the store, which other replicas may have changed). */
  replace(list: readonly Suppression[]): void {
    this.byService.clear();
    this.count = 0;
    for (const s of list) this.add(s);
  }

  add(s: Suppression): void {
    let templates = this.byService.get(s.service);
    if (!templates) this.byService.set(s.service, (templates = new Map()));
    let entries = templates.get(s.templateId);
    if (!entries) templates.set(s.templateId, (entries = []));
    const expiresMs = s.expiresAt !== undefined ? Date.parse(s.expiresAt) : Infinity;
    entries.push({ s, expiresMs });
    this.count++;
  }

  remove(id: string): boolean {
    for (const templates of this.byService.values())
      for (const [templateId, entries] of templates) {
        const i = entries.findIndex((e) => e.s.id === id);
        if (i < 0) continue;
        entries.splice(i, 1);
        if (!entries.length) templates.delete(templateId);
        this.count--;
        return true;
      }
    return false;
  }

  /** The suppression muting this verdict at `nowMs`, if any. */
  match(service: string, templateId: string, detector: string, nowMs: number): Suppression | undefined {
    const entries = this.byService.get(service)?.get(templateId);
    if (!entries) return undefined;
    for (const e of entries)
      if (e.expiresMs > nowMs && (e.s.detector === undefined || e.s.detector === detector)) return e.s;
    return undefined;
  }
}

/** The reason a suppressed record carries downstream (`anomaly.reason`). */
export function suppressedReason(s: Suppression, detector: string): string {
  const until = s.expiresAt !== undefined ? ` until ${s.expiresAt}` : '';
  return `suppressed: ${detector} verdict muted by a user (suppression ${s.id}${until})`;
}
