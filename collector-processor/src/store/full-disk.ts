import type { Logger } from '../telemetry/logger';
import { errorMessage, isDiskFull } from './errors';
import type { StoreStatus } from './store';

const LOG_EVERY_MS = 60_000;

export interface InsertResult {
  inserted: number;
  /** Oldest anomalies deleted in the same transaction to make room. */
  trimmed: number;
}

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
   * `write(0)` inserts the batch. After a full-disk failure, `write(count)` deletes the oldest
   * anomalies (at least `count`, the batch size, and a tenth of the table) and inserts the batch in
   * one transaction: if that fails too, nothing was deleted for nothing. Freeing fewer rows than the
   * batch would, once the store is steadily full, drop every new batch while keeping the old ones.
   */
  async insert(count: number, write: (trimAtLeast: number) => Promise<InsertResult>): Promise<number> {
    try {
      return this.succeeded((await write(0)).inserted);
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      this.full(err);
    }
    try {
      const { inserted, trimmed } = await write(count);
      this.logger.warn(
        { trimmed, store: this.state.location },
        'store full: deleted the oldest anomalies to make room',
      );
      return this.succeeded(inserted);
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
