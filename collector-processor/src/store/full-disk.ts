import type { Logger } from '../telemetry/logger';
import { errorMessage, isDiskFull } from './errors';
import type { StoreStatus } from './store';

const LOG_EVERY_MS = 60_000;

/**
 * The full-disk path for anomaly inserts, shared by both backends. Anomalies are a side product of
 * the stream (records go downstream whether or not their anomaly is stored), so a full disk must not
 * stop the processor: trim the oldest anomalies, retry once, else drop the batch, count it and log
 * (at most once a minute). Models and miner state are not dropped: their writes throw StoreFullError.
 */
export class FullDiskGuard {
  private readonly state: StoreStatus;
  private lastLogMs = 0;

  constructor(
    kind: StoreStatus['kind'],
    location: string,
    private readonly logger: Logger,
  ) {
    this.state = { kind, location, diskFull: false, droppedAnomalies: 0 };
  }

  status(): StoreStatus {
    return { ...this.state };
  }

  /**
   * `trimOldest(atLeast)` deletes the oldest anomalies, at least `atLeast` (the batch size) and a
   * tenth of the table: freeing fewer rows than the batch would, once the store is steadily full,
   * drop every new batch while keeping the old anomalies.
   */
  async insert(
    count: number,
    write: () => Promise<number>,
    trimOldest: (atLeast: number) => Promise<number>,
  ): Promise<number> {
    try {
      return this.succeeded(await write());
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      this.full(err);
    }
    try {
      const trimmed = await trimOldest(count);
      this.logger.warn(
        { trimmed, store: this.state.location },
        'store full: deleted the oldest anomalies to make room',
      );
      return this.succeeded(await write());
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      this.full(err);
      this.state.droppedAnomalies += count;
      this.report(count);
      return 0;
    }
  }

  /** Record a full-disk failure of another write (model, miner state) before it is rethrown. */
  full(err: unknown): void {
    this.state.diskFull = true;
    this.state.lastError = errorMessage(err);
  }

  succeeded<T>(value: T): T {
    if (this.state.diskFull) {
      this.logger.info({ store: this.state.location }, 'store writes succeed again after a full disk');
      this.state.diskFull = false;
    }
    return value;
  }

  private report(count: number): void {
    const now = Date.now();
    if (now - this.lastLogMs < LOG_EVERY_MS) return;
    this.lastLogMs = now;
    this.logger.error(
      {
        store: this.state.location,
        dropped: count,
        droppedTotal: this.state.droppedAnomalies,
        err: this.state.lastError,
      },
      'store full: anomalies dropped (records still flow downstream); free disk space or lower store.retention limits',
    );
  }
}
