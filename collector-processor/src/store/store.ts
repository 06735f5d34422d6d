import type {
  Anomaly,
  AnomalyDetail,
  AnomalyPage,
  AnomalyQuery,
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

export interface Store {
  /** Create tables if missing; fail with a clear message when the store cannot be opened. */
  open(): Promise<void>;
  close(): Promise<void>;

  // Template miner state, one snapshot per key (a replica shares it per service in PostgreSQL).
  loadMinerState(key: string): Promise<Uint8Array | undefined>;
  saveMinerState(key: string, bytes: Uint8Array): Promise<void>;

  // Per-service model configuration (undefined: the default from the processor config applies).
  getModelConfig(service: string): Promise<ModelConfig | undefined>;
  putModelConfig(service: string, config: ModelConfig): Promise<void>;

  // Model versions: numbered per service from 1; one is active. Old inactive ones beyond retention go.
  saveModel(model: StoredModel): Promise<void>;
  listModels(service: string): Promise<ModelVersion[]>;
  /** The active version with its bytes, or undefined when the service has none. */
  loadActiveModel(service: string): Promise<StoredModel | undefined>;
  loadModel(service: string, version: number): Promise<StoredModel | undefined>;
  activateModel(service: string, version: number): Promise<ModelVersion | undefined>;
  nextModelVersion(service: string): Promise<number>;

  // Anomalies with their record, context and explanation.
  insertAnomalies(anomalies: readonly AnomalyRecord[]): Promise<void>;
  queryAnomalies(query: AnomalyQuery): Promise<AnomalyPage>;
  getAnomaly(id: string): Promise<AnomalyRecord | undefined>;
  /** Mark anomalies suppressed (feedback); returns how many changed. */
  suppressAnomalies(filter: { id?: string; service?: string; templateId?: string }): Promise<number>;

  // Feedback, kept so training can use it.
  insertFeedback(feedback: Feedback & { time: string }): Promise<void>;
  listFeedback(service: string): Promise<(Feedback & { time: string })[]>;

  /** Apply retention (age, count); returns rows deleted. Called periodically by the processor. */
  enforceRetention(nowMs: number): Promise<number>;
}

export type { Anomaly };
