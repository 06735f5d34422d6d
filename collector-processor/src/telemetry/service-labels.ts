/** Longest label value written; longer service names are cut (a 1 MB name must not make /metrics huge). */
export const MAX_LABEL_LENGTH = 128;
/** The label of every service past the cap. */
export const OTHER_SERVICE = 'other';

/**
 * The `service` label value of a service name: the first `maxServices` services (as
 * detection.maxServices) get series of their own, later ones share `service="other"`, so the number
 * of series is bounded whatever names senders invent. A service unseen for `staleMs` gives its place
 * and its series up (`sweep`).
 */
export class ServiceLabels {
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly maxServices: number,
    private readonly staleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  label(service: string): string {
    const value = service.length > MAX_LABEL_LENGTH ? service.slice(0, MAX_LABEL_LENGTH) : service;
    if (this.lastSeen.has(value) || this.lastSeen.size < this.maxServices) {
      this.lastSeen.set(value, this.now());
      return value;
    }
    return OTHER_SERVICE;
  }

  /** Forgets services unseen for staleMs and returns their labels, for their series to be removed. */
  sweep(): string[] {
    const before = this.now() - this.staleMs;
    const stale: string[] = [];
    for (const [label, seen] of this.lastSeen) if (seen < before) stale.push(label);
    for (const label of stale) this.lastSeen.delete(label);
    return stale;
  }
}
