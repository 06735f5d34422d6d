/**
 * The time rule for sessions under way when a model starts scoring without the records before it (a
 * model restored at start-up): a session first seen within one inactivity period of the first record
 * the model sees may have begun before the model, and would look anomalous for its missing start.
 * Where the earlier records are known (a model installed over the service's buffer) they decide
 * instead, and the rule is settled. The group models and the sequence model share it.
 */
export class StartWindow {
  private firstMs = NaN;
  private untilMs = NaN;

  /**
   * Notes a record time: the first one starts the window, `idleMs` after it (the sessions' inactivity
   * period; without one, Infinity, no session is taken as under way).
   */
  see(timeMs: number, idleMs: number): void {
    if (!Number.isNaN(this.firstMs)) return;
    this.firstMs = timeMs;
    if (Number.isNaN(this.untilMs)) this.untilMs = Number.isFinite(idleMs) ? timeMs + idleMs : -Infinity;
  }

  /** The first record time the model saw (NaN before it). */
  get startMs(): number {
    return this.firstMs;
  }

  /** Whether a session first seen at `timeMs` may have begun before the model. */
  mayHaveBegunBefore(timeMs: number): boolean {
    return timeMs < this.untilMs;
  }

  /** The earlier records decided which sessions were under way: no session is by time. */
  settle(): void {
    this.untilMs = -Infinity;
  }
}
