import type { AnomalyPage, AnomalyQuery, BenchmarkRun, ModelConfig, ModelVersion } from '@anomalog/shared';
import type { AnomalyContextAfter, AnomalyRecord, AnomalyStore } from './anomalies';
import type { BenchmarkStore } from './benchmarks';
import type { FeedbackRow, FeedbackStore } from './feedback';
import type { MinerStateStore } from './miner-states';
import type { ModelStore, StoredModel } from './models';
import type { Store, StoreStatus } from './store';

/** One backend's stores of each concern, on one connection. */
export interface StoreParts {
  readonly minerStates: MinerStateStore;
  readonly models: ModelStore;
  readonly anomalies: AnomalyStore;
  readonly benchmarks: BenchmarkStore;
  readonly feedback: FeedbackStore;
}

/**
 * A backend's `Store`: each concern's methods answered by that concern's store; a backend adds
 * opening, closing, status and retention, which span the concerns.
 */
export abstract class StoreOfParts<P extends StoreParts> implements Store {
  protected constructor(protected readonly parts: P) {}

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;
  abstract status(): StoreStatus;
  abstract enforceRetention(nowMs: number): Promise<number>;

  loadMinerState(key: string): Promise<Uint8Array | undefined> {
    return this.parts.minerStates.loadMinerState(key);
  }
  saveMinerState(key: string, bytes: Uint8Array): Promise<void> {
    return this.parts.minerStates.saveMinerState(key, bytes);
  }
  saveMinerStates(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void> {
    return this.parts.minerStates.saveMinerStates(entries);
  }

  getModelConfig(service: string): Promise<ModelConfig | undefined> {
    return this.parts.models.getModelConfig(service);
  }
  putModelConfig(service: string, config: ModelConfig): Promise<void> {
    return this.parts.models.putModelConfig(service, config);
  }
  saveModel(model: StoredModel): Promise<ModelVersion> {
    return this.parts.models.saveModel(model);
  }
  listModels(service: string): Promise<ModelVersion[]> {
    return this.parts.models.listModels(service);
  }
  loadActiveModel(service: string): Promise<StoredModel | undefined> {
    return this.parts.models.loadActiveModel(service);
  }
  loadModel(service: string, version: number): Promise<StoredModel | undefined> {
    return this.parts.models.loadModel(service, version);
  }
  activateModel(service: string, version: number): Promise<ModelVersion | undefined> {
    return this.parts.models.activateModel(service, version);
  }
  nextModelVersion(service: string): Promise<number> {
    return this.parts.models.nextModelVersion(service);
  }

  insertAnomalies(anomalies: readonly AnomalyRecord[]): Promise<number> {
    return this.parts.anomalies.insertAnomalies(anomalies);
  }
  queryAnomalies(query: AnomalyQuery): Promise<AnomalyPage> {
    return this.parts.anomalies.queryAnomalies(query);
  }
  getAnomaly(id: string): Promise<AnomalyRecord | undefined> {
    return this.parts.anomalies.getAnomaly(id);
  }
  suppressAnomalies(filter: { id?: string; service?: string; templateId?: string }): Promise<number> {
    return this.parts.anomalies.suppressAnomalies(filter);
  }
  setAnomalyContextAfter(entries: readonly AnomalyContextAfter[]): Promise<number> {
    return this.parts.anomalies.setAnomalyContextAfter(entries);
  }

  saveBenchmarkRun(run: BenchmarkRun, keep: number): Promise<void> {
    return this.parts.benchmarks.saveBenchmarkRun(run, keep);
  }
  listBenchmarkRuns(limit: number): Promise<BenchmarkRun[]> {
    return this.parts.benchmarks.listBenchmarkRuns(limit);
  }
  deleteBenchmarkRun(id: string): Promise<boolean> {
    return this.parts.benchmarks.deleteBenchmarkRun(id);
  }

  insertFeedback(feedback: FeedbackRow): Promise<void> {
    return this.parts.feedback.insertFeedback(feedback);
  }
  listFeedback(service: string): Promise<FeedbackRow[]> {
    return this.parts.feedback.listFeedback(service);
  }
}
