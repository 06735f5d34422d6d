import type {
  Anomaly,
  AnomalyDetail,
  AnomalyPage,
  AnomalyQuery,
  BenchmarkRun,
  Feedback,
  ModelConfig,
  ModelVersion,
} from '@anomalog/shared';

/**
 * Everything Anomalog keeps between restarts, behind one interface with two backends:
 * SQLite (embedded default, `sqlite.ts`) and PostgreSQL (several replicas, `postgres.ts`).
 * All methods are async so both backends fit; SQLite answers synchronously underneath.
 */

/** A trained model version: the serialised detectors plus what the API shows about it. */
export interface StoredModel {
  readonly info: ModelVersion;
  /** Opaque bytes written by the lifecycle (detectors, vocabulary, calibration). */
  readonly bytes: Uint8Array;
}

/** An anomaly as recorded by the detect stage, with its explanation and session context. */
export type AnomalyRecord = AnomalyDetail;

/** The lines after one stored anomaly, oldest first. */
export interface AnomalyContextAfter {
  id: string;
  lines: AnomalyDetail['context'];
}

export interface Store {
  /** Create tables if missing; fail with a clear message when the store cannot be opened. */
  open(): Promise<void>;
  close(): Promise<void>;

  // Template miner state, one snapshot per key (a replica shares it per service in PostgreSQL).
  loadMinerState(key: string): Promise<Uint8Array | undefined>;
  saveMinerState(key: string, bytes: Uint8Array): Promise<void>;
  /** Several snapshots in one transaction (one commit for a request that created templates of many services). */
  saveMinerStates(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void>;

  // Per-service model configuration (undefined: the default from the processor config applies).
  getModelConfig(service: string): Promise<ModelConfig | undefined>;
  putModelConfig(service: string, config: ModelConfig): Promise<void>;

  // Model versions: numbered per service from 1; one is active. Old inactive ones beyond retention go.
  /**
   * Store a new version. The store assigns the number (highest + 1 for the service, atomically, so
   * replicas sharing PostgreSQL never collide): `info.version` is ignored, read the returned info.
   * When `info.active` is true it becomes the one active version. Versions beyond
   * `retention.modelVersions` (oldest first, never the active one) are deleted.
   */
  saveModel(model: StoredModel): Promise<ModelVersion>;
  listModels(service: string): Promise<ModelVersion[]>;
  /** The active version with its bytes, or undefined when the service has none. */
  loadActiveModel(service: string): Promise<StoredModel | undefined>;
  loadModel(service: string, version: number): Promise<StoredModel | undefined>;
  activateModel(service: string, version: number): Promise<ModelVersion | undefined>;
  /** The number the next saveModel would get now (a preview: another replica may take it first). */
  nextModelVersion(service: string): Promise<number>;

  // Anomalies with their record, context and explanation.
  /**
   * Insert a batch in one transaction; an id already stored is skipped (replays after a retry are
   * harmless). Context is cut to `retention.contextLines` lines nearest the anomaly; NUL and lone
   * surrogates become U+FFFD; a record no backend can store (time not ISO, score not finite) is left
   * out and logged. A full disk does not throw: the oldest anomalies (at least as many as the batch)
   * are trimmed and the batch retried once, else the batch is dropped, logged and counted in
   * status(). Returns how many rows were inserted.
   */
  insertAnomalies(anomalies: readonly AnomalyRecord[]): Promise<number>;
  /**
   * Both time bounds are inclusive. Throws StoreQueryError for a `from`/`to` that is neither ISO time
   * nor epoch ms.
   */
  queryAnomalies(query: AnomalyQuery): Promise<AnomalyPage>;
  getAnomaly(id: string): Promise<AnomalyRecord | undefined>;
  /**
   * Set the lines after stored anomalies (their `contextAfter`), cut to `retention.contextLinesAfter`
   * lines and cleaned like the lines before; an id not stored is skipped. Returns how many changed.
   */
  setAnomalyContextAfter(entries: readonly AnomalyContextAfter[]): Promise<number>;
  /** Mark anomalies suppressed (feedback); returns how many changed. An empty filter throws. */
  suppressAnomalies(filter: { id?: string; service?: string; templateId?: string }): Promise<number>;

  // Finished benchmark runs (the Grafana app compares a run with earlier ones, across restarts).
  /** Insert or replace the run by id; only the newest `keep` runs stay. */
  saveBenchmarkRun(run: BenchmarkRun, keep: number): Promise<void>;
  /** Newest first (by start time). */
  listBenchmarkRuns(limit: number): Promise<BenchmarkRun[]>;
  /** False when no run had that id. */
  deleteBenchmarkRun(id: string): Promise<boolean>;

  // Feedback, kept so training can use it.
  insertFeedback(feedback: Feedback & { time: string }): Promise<void>;
  listFeedback(service: string): Promise<(Feedback & { time: string })[]>;

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
