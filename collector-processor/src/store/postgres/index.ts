import type { AnomalyPage, AnomalyQuery, BenchmarkRun, ModelConfig, ModelVersion } from '@anomalog/shared';
import type { Logger } from '../../telemetry/logger';
import type { AnomalyContextAfter, AnomalyRecord } from '../anomalies';
import type { FeedbackRow } from '../feedback';
import type { StoredModel } from '../models';
import { LOCK_RETENTION } from '../postgres-schema';
import type { Store, StoreStatus } from '../store';
import { PostgresAnomalies } from './anomalies';
import { PostgresBenchmarks } from './benchmarks';
import { PostgresConnection, type StoreSettings } from './connection';
import { PostgresFeedback } from './feedback';
import { PostgresMinerStates } from './miner-states';
import { PostgresModels } from './models';

export { redactUrl } from './connection';

/**
 * The shared store for several replicas: each concern's store (miner-states.ts, models.ts,
 * anomalies.ts, benchmarks.ts, feedback.ts) on one pool (connection.ts). Every write is one statement
 * or one transaction, so a replica killed at any moment leaves only whole commits. Model numbers per
 * service are taken under a transaction-scoped advisory lock, and (service, version) is the primary
 * key: two replicas saving at once get consecutive versions, never the same one.
 */
export class PostgresStore implements Store {
  readonly location: string;
  readonly minerStates: PostgresMinerStates;
  readonly models: PostgresModels;
  readonly anomalies: PostgresAnomalies;
  readonly benchmarks: PostgresBenchmarks;
  readonly feedback: PostgresFeedback;
  private readonly c: PostgresConnection;

  constructor(settings: StoreSettings, logger: Logger) {
    this.c = new PostgresConnection(settings, logger);
    this.location = this.c.location;
    this.minerStates = new PostgresMinerStates(this.c);
    this.models = new PostgresModels(this.c);
    this.anomalies = new PostgresAnomalies(this.c);
    this.benchmarks = new PostgresBenchmarks(this.c);
    this.feedback = new PostgresFeedback(this.c);
  }

  open(): Promise<void> {
    return this.c.open();
  }

  close(): Promise<void> {
    return this.c.close();
  }

  status(): StoreStatus {
    return this.c.status();
  }

  /** One replica at a time (session advisory lock); the others skip this round and return 0. */
  async enforceRetention(nowMs: number): Promise<number> {
    const { anomalyDays, maxAnomalies, modelVersions } = this.c.settings.retention;
    return this.c.withClient(async (client, state) => {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        LOCK_RETENTION.toString(),
      ]);
      if (!rows[0].ok) return 0;
      try {
        const deleted = await this.anomalies.prune(client, nowMs, anomalyDays, maxAnomalies);
        return deleted + (await this.models.prune(client, modelVersions));
      } finally {
        // A session lock left on a pooled connection would stop every later round: if the unlock
        // fails, the connection is destroyed, which releases the lock.
        await client
          .query('SELECT pg_advisory_unlock($1)', [LOCK_RETENTION.toString()])
          .catch(() => (state.broken = true));
      }
    });
  }

  loadMinerState(key: string): Promise<Uint8Array | undefined> {
    return this.minerStates.loadMinerState(key);
  }
  saveMinerState(key: string, bytes: Uint8Array): Promise<void> {
    return this.minerStates.saveMinerState(key, bytes);
  }
  saveMinerStates(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void> {
    return this.minerStates.saveMinerStates(entries);
  }

  getModelConfig(service: string): Promise<ModelConfig | undefined> {
    return this.models.getModelConfig(service);
  }
  putModelConfig(service: string, config: ModelConfig): Promise<void> {
    return this.models.putModelConfig(service, config);
  }
  saveModel(model: StoredModel): Promise<ModelVersion> {
    return this.models.saveModel(model);
  }
  listModels(service: string): Promise<ModelVersion[]> {
    return this.models.listModels(service);
  }
  loadActiveModel(service: string): Promise<StoredModel | undefined> {
    return this.models.loadActiveModel(service);
  }
  loadModel(service: string, version: number): Promise<StoredModel | undefined> {
    return this.models.loadModel(service, version);
  }
  activateModel(service: string, version: number): Promise<ModelVersion | undefined> {
    return this.models.activateModel(service, version);
  }
  nextModelVersion(service: string): Promise<number> {
    return this.models.nextModelVersion(service);
  }

  insertAnomalies(anomalies: readonly AnomalyRecord[]): Promise<number> {
    return this.anomalies.insertAnomalies(anomalies);
  }
  queryAnomalies(query: AnomalyQuery): Promise<AnomalyPage> {
    return this.anomalies.queryAnomalies(query);
  }
  getAnomaly(id: string): Promise<AnomalyRecord | undefined> {
    return this.anomalies.getAnomaly(id);
  }
  suppressAnomalies(filter: { id?: string; service?: string; templateId?: string }): Promise<number> {
    return this.anomalies.suppressAnomalies(filter);
  }

  setAnomalyContextAfter(entries: readonly AnomalyContextAfter[]): Promise<number> {
    return this.anomalies.setAnomalyContextAfter(entries);
  }

  saveBenchmarkRun(run: BenchmarkRun, keep: number): Promise<void> {
    return this.benchmarks.saveBenchmarkRun(run, keep);
  }
  listBenchmarkRuns(limit: number): Promise<BenchmarkRun[]> {
    return this.benchmarks.listBenchmarkRuns(limit);
  }

  deleteBenchmarkRun(id: string): Promise<boolean> {
    return this.benchmarks.deleteBenchmarkRun(id);
  }

  insertFeedback(feedback: FeedbackRow): Promise<void> {
    return this.feedback.insertFeedback(feedback);
  }
  listFeedback(service: string): Promise<FeedbackRow[]> {
    return this.feedback.listFeedback(service);
  }
}
