import type { ModelConfig, ModelVersion } from '@anomalog/shared';

/** A trained model version: the serialised detectors plus what the API shows about it. */
export interface StoredModel {
  readonly info: ModelVersion;
  /** Opaque bytes written by the lifecycle (detectors, vocabulary, calibration). */
  readonly bytes: Uint8Array;
}

/** Per-service model configuration and the trained model versions (SQLite `sqlite/models.ts`, PostgreSQL `postgres/models.ts`). */
export interface ModelStore {
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
}
