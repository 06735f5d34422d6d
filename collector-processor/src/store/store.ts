import type { Anomaly } from '@anomalog/shared';
import type { AnomalyStore } from './anomalies';
import type { BenchmarkStore } from './benchmarks';
import type { FeedbackStore } from './feedback';
import type { MinerStateStore } from './miner-states';
import type { ModelStore } from './models';

export type { AnomalyContextAfter, AnomalyRecord } from './anomalies';
export type { StoredModel } from './models';

/**
 * Everything Anomalog keeps between restarts, with two backends: SQLite (embedded default,
 * `sqlite/`) and PostgreSQL (several replicas, `postgres/`). It is the small stores of each concern
 * together (miner states, models, anomalies, benchmark runs, feedback), plus opening, retention and
 * status; a consumer asks for the small one it uses. All methods are async so both backends fit;
 * SQLite answers synchronously underneath.
 */
export interface Store extends MinerStateStore, ModelStore, AnomalyStore, BenchmarkStore, FeedbackStore {
  /** Create tables if missing; fail with a clear message when the store cannot be opened. */
  open(): Promise<void>;
  close(): Promise<void>;

  /**
   * Apply retention: anomalies older than `anomalyDays`, beyond `maxAnomalies` (oldest first), and
   * model versions beyond `modelVersions` per service (never the active one). Returns rows deleted.
   * Called periodically by the processor (startRetention in retention.ts).
   */
  enforceRetention(nowMs: number): Promise<number>;

  /** What /health and the logs may say about the store (never throws). */
  status(): StoreStatus;
}

export interface StoreStatus {
  kind: 'sqlite' | 'postgres';
  /** The database file, or the PostgreSQL URL without its password. */
  location: string;
  /** True after a write failed for lack of space, until a later write succeeds. */
  diskFull: boolean;
  /** Anomalies dropped because the disk (or the database's size limit) was full. */
  droppedAnomalies: number;
  /**
   * SQLite: the data directory's file system has less free space than the low-space threshold, so
   * each new anomaly replaces the oldest one and the file stops growing.
   */
  lowDiskSpace?: boolean;
  lastError?: string;
}

export type { Anomaly };
