import type { Database as Db } from 'better-sqlite3';
import type { AnomalyPage, AnomalyQuery, BenchmarkRun, ModelConfig, ModelVersion } from '@anomalog/shared';
import type { Logger } from '../../telemetry/logger';
import type { AnomalyContextAfter, AnomalyRecord } from '../anomalies';
import type { FeedbackRow } from '../feedback';
import type { LowSpaceOptions } from '../low-space';
import type { StoredModel } from '../models';
import type { Store, StoreStatus } from '../store';
import { SqliteAnomalies } from './anomalies';
import { SqliteBenchmarks } from './benchmarks';
import { SqliteConnection, type StoreSettings } from './connection';
import { SqliteFeedback } from './feedback';
import { SqliteMinerStates } from './miner-states';
import { SqliteModels } from './models';

export { SQLITE_FILE_NAME, WAL_SIZE_LIMIT } from './connection';

/**
 * The embedded store: one SQLite file `anomalog.db` under `store.dataDir`, WAL journal; each
 * concern's store (miner-states.ts, models.ts, anomalies.ts, benchmarks.ts, feedback.ts) on one
 * shared connection (connection.ts).
 * Durability: every method commits before it resolves. With synchronous=NORMAL (default) a commit is
 * in the WAL in the OS's page cache, so a killed process (kill -9, OOM) loses nothing committed; a
 * power cut or kernel crash may lose the last commits but the file stays consistent. `full` fsyncs
 * the WAL at every commit for power-cut durability at the cost of speed.
 */
export class SqliteStore implements Store {
  readonly file: string;
  readonly minerStates: SqliteMinerStates;
  readonly models: SqliteModels;
  readonly anomalies: SqliteAnomalies;
  readonly benchmarks: SqliteBenchmarks;
  readonly feedback: SqliteFeedback;
  private readonly c: SqliteConnection;

  constructor(settings: StoreSettings, logger: Logger, options: LowSpaceOptions = {}) {
    this.c = new SqliteConnection(settings, logger, options);
    this.file = this.c.file;
    this.minerStates = new SqliteMinerStates(this.c);
    this.models = new SqliteModels(this.c);
    this.anomalies = new SqliteAnomalies(this.c);
    this.benchmarks = new SqliteBenchmarks(this.c);
    this.feedback = new SqliteFeedback(this.c);
  }

  /** The open connection (the triage store shares it; tests use it to set PRAGMA max_page_count). */
  get db(): Db {
    return this.c.db;
  }

  async open(): Promise<void> {
    this.c.open((db) => {
      for (const part of [this.minerStates, this.models, this.anomalies, this.benchmarks, this.feedback])
        part.prepare(db);
    });
  }

  async close(): Promise<void> {
    this.c.close();
  }

  status(): StoreStatus {
    return this.c.status();
  }

  async enforceRetention(nowMs: number): Promise<number> {
    const { anomalyDays, maxAnomalies, modelVersions } = this.c.settings.retention;
    const deleted = await this.anomalies.prune(nowMs, anomalyDays, maxAnomalies);
    return deleted + this.models.prune(modelVersions);
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
