import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import type {
  AnomalogConfig,
  AnomalyPage,
  AnomalyQuery,
  BenchmarkRun,
  Feedback,
  ModelConfig,
  ModelVersion,
} from '@anomalog/shared';
import type { Logger } from '../telemetry/logger';
import { errorMessage, isDiskFull, StoreError, StoreFullError } from './errors';
import { FullDiskGuard, type InsertResult } from './full-disk';
import { LowSpaceWatch, type LowSpaceOptions } from './low-space';
import {
  ANOMALY_COLUMNS,
  anomalyFilter,
  feedbackParams,
  finiteMetrics,
  fromDetailRow,
  fromRow,
  MODEL_COLUMNS,
  modelFromRow,
  pageOf,
  suppressFilter,
  toInserts,
  type AnomalyRow,
  type ModelRow,
  contextAfterParams,
} from './rows';
import { cleanText } from './sanitize';
import { migrateSqlite } from './sqlite-schema';
import type { AnomalyContextAfter, AnomalyRecord, Store, StoreStatus, StoredModel } from './store';

export const SQLITE_FILE_NAME = 'anomalog.db';
/** Rows deleted per transaction by retention, so the event loop (and the stream) never waits long. */
const DELETE_CHUNK = 5000;
const DAY_MS = 86_400_000;
/**
 * The WAL keeps its largest size after a checkpoint unless limited: one big model save would hold
 * that much disk for good. After each checkpoint it is cut back to this.
 */
export const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

type StoreSettings = AnomalogConfig['store'];
type FeedbackRow = Feedback & { time: string };

/**
 * The embedded store: one SQLite file `anomalog.db` under `store.dataDir`, WAL journal.
 * Durability: every method commits before it resolves. With synchronous=NORMAL (default) a commit is
 * in the WAL in the OS's page cache, so a killed process (kill -9, OOM) loses nothing committed; a
 * power cut or kernel crash may lose the last commits but the file stays consistent. `full` fsyncs
 * the WAL at every commit for power-cut durability at the cost of speed.
 */
export class SqliteStore implements Store {
  readonly file: string;
  private dbHandle: Db | undefined;
  private readonly guard: FullDiskGuard;
  private readonly queryCache = new Map<string, Statement>();
  private stmts!: ReturnType<typeof prepareStatements>;

  private readonly lowSpace: LowSpaceWatch;

  constructor(
    private readonly settings: StoreSettings,
    private readonly logger: Logger,
    options: LowSpaceOptions = {},
  ) {
    this.file = join(resolve(settings.dataDir), SQLITE_FILE_NAME);
    this.guard = new FullDiskGuard('sqlite', this.file, logger);
    this.lowSpace = new LowSpaceWatch(resolve(settings.dataDir), logger, options);
  }

  /** The open connection (tests use it to set PRAGMA max_page_count). */
  get db(): Db {
    if (!this.dbHandle) throw new StoreError(`SQLite store ${this.file} is not open`);
    return this.dbHandle;
  }

  async open(): Promise<void> {
    const dir = resolve(this.settings.dataDir);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (err) {
      throw new StoreError(
        `store.dataDir ${dir} is not a writable directory (${errorMessage(err)}). Create it with write ` +
          `permission for this user, or point store.dataDir (ANOMALOG_STORE_DATA_DIR) elsewhere`,
        { cause: err },
      );
    }
    let db: Db | undefined;
    try {
      db = new Database(this.file);
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') this.logger.warn({ file: this.file, mode }, 'SQLite could not use WAL; writes are slower');
      db.pragma(`synchronous = ${this.settings.sqliteSynchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      db.pragma('busy_timeout = 5000');
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
      db.pragma('foreign_keys = ON');
      migrateSqlite(db, this.file);
      this.stmts = prepareStatements(db);
    } catch (err) {
      db?.close();
      throw this.openError(err);
    }
    this.dbHandle = db;
    this.logger.info({ file: this.file, synchronous: this.settings.sqliteSynchronous }, 'SQLite store open');
  }

  private openError(err: unknown): Error {
    if (err instanceof StoreError) return err;
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
      return new StoreError(
        `SQLite database ${this.file} is damaged or not an SQLite file (${errorMessage(err)}). Stop Anomalog and ` +
          `either restore a backup (docs/store.md) or move the file aside (with its -wal and -shm files) to start ` +
          `with an empty store: mv ${this.file} ${this.file}.broken`,
        { cause: err },
      );
    if (isDiskFull(err))
      return new StoreFullError(`no space left to open SQLite database ${this.file}: free disk space`, { cause: err });
    return new StoreError(`cannot open SQLite database ${this.file}: ${errorMessage(err)}`, { cause: err });
  }

  async close(): Promise<void> {
    const db = this.dbHandle;
    this.dbHandle = undefined;
    this.queryCache.clear();
    db?.close();
  }

  status(): StoreStatus {
    return { ...this.guard.status(), lowDiskSpace: this.lowSpace.low };
  }

  /** Run a write; a full disk marks the status and becomes StoreFullError. */
  private write<T>(what: string, fn: () => T): T {
    try {
      return this.guard.succeeded(fn());
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      this.guard.full(err);
      throw new StoreFullError(`store full: cannot save ${what} to ${this.file}; free disk space`, { cause: err });
    }
  }

  async loadMinerState(key: string): Promise<Uint8Array | undefined> {
    const row = this.stmts.minerGet.get(key) as { bytes: Buffer } | undefined;
    return row ? bytesOf(row.bytes) : undefined;
  }

  async saveMinerState(key: string, bytes: Uint8Array): Promise<void> {
    this.write(`miner state ${key}`, () => this.stmts.minerPut.run(key, bytes, new Date().toISOString()));
  }

  async saveMinerStates(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void> {
    const at = new Date().toISOString();
    const putAll = this.db.transaction(() => {
      for (const [key, bytes] of entries) this.stmts.minerPut.run(key, bytes, at);
    });
    this.write(`miner state of ${entries.length} service(s)`, () => putAll());
  }

  async getModelConfig(service: string): Promise<ModelConfig | undefined> {
    const row = this.stmts.configGet.get(service) as { config: string } | undefined;
    return row ? (JSON.parse(row.config) as ModelConfig) : undefined;
  }

  async putModelConfig(service: string, config: ModelConfig): Promise<void> {
    this.write(`model config of ${service}`, () =>
      this.stmts.configPut.run(service, JSON.stringify(config), new Date().toISOString()),
    );
  }

  async saveModel(model: StoredModel): Promise<ModelVersion> {
    const { info } = model;
    const save = this.db.transaction((): ModelVersion => {
      const version = (this.stmts.maxVersion.get(info.service) as { v: number | null }).v ?? 0;
      const stored: ModelVersion = { ...info, metrics: finiteMetrics(info.metrics), version: version + 1 };
      if (stored.active) this.stmts.deactivateAll.run(info.service);
      this.stmts.modelInsert.run(
        stored.service,
        stored.version,
        stored.createdAt,
        stored.trainedFrom,
        stored.trainedTo,
        stored.records,
        JSON.stringify(stored.detectors),
        JSON.stringify(stored.metrics),
        stored.active ? 1 : 0,
        model.bytes,
      );
      this.stmts.pruneModels.run(info.service, info.service, this.settings.retention.modelVersions);
      return stored;
    });
    return this.write(`model of ${info.service}`, () => save.immediate());
  }

  async listModels(service: string): Promise<ModelVersion[]> {
    return (this.stmts.modelList.all(service) as ModelRow[]).map(modelFromRow);
  }

  async loadActiveModel(service: string): Promise<StoredModel | undefined> {
    return storedModel(this.stmts.modelActive.get(service) as (ModelRow & { bytes: Buffer }) | undefined);
  }

  async loadModel(service: string, version: number): Promise<StoredModel | undefined> {
    return storedModel(this.stmts.modelGet.get(service, version) as (ModelRow & { bytes: Buffer }) | undefined);
  }

  async activateModel(service: string, version: number): Promise<ModelVersion | undefined> {
    const activate = this.db.transaction((): ModelVersion | undefined => {
      const exists = this.stmts.modelInfo.get(service, version) as ModelRow | undefined;
      if (!exists) return undefined;
      this.stmts.deactivateAll.run(service);
      this.stmts.activate.run(service, version);
      return { ...modelFromRow(exists), active: true };
    });
    return this.write(`active version of ${service}`, () => activate.immediate());
  }

  async nextModelVersion(service: string): Promise<number> {
    return ((this.stmts.maxVersion.get(service) as { v: number | null }).v ?? 0) + 1;
  }

  async insertAnomalies(anomalies: readonly AnomalyRecord[]): Promise<number> {
    if (!anomalies.length) return 0;
    const rows = toInserts(anomalies, this.settings.retention.contextLines, this.logger);
    if (!rows.length) return 0;
    // Low disk space: the batch replaces as many of the oldest anomalies (low-space.ts).
    const keepSize = this.lowSpace.check();
    const insertAll = this.db.transaction((trimAtLeast: number): InsertResult => {
      const trimmed = trimAtLeast > 0 ? this.trimOldest(trimAtLeast) : 0;
      if (keepSize && !trimmed) this.stmts.deleteOldest.run(rows.length);
      let inserted = 0;
      for (const r of rows)
        inserted += this.stmts.anomalyInsert.run(
          r.id,
          r.timeMs,
          r.service,
          r.templateId,
          r.template,
          r.message,
          r.score,
          r.detector,
          r.reason,
          r.sessionId,
          r.severityText,
          r.suppressed ? 1 : 0,
          r.detail,
        ).changes;
      return { inserted, trimmed };
    });
    const inserted = await this.guard.insert(rows.length, async (trimAtLeast) => insertAll.immediate(trimAtLeast));
    // Copy the WAL into the database now, so the next writes reuse the WAL file instead of growing it.
    if (keepSize) this.checkpoint();
    return inserted;
  }

  /** A passive checkpoint; failing (disk full, a reader) only means the WAL is reused later. */
  private checkpoint(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      this.logger.debug({ err: errorMessage(err), file: this.file }, 'SQLite checkpoint failed');
    }
  }

  /** Make room on a full disk: delete the oldest tenth of the anomalies, or `atLeast` (freed pages are reused at once). */
  private trimOldest(atLeast: number): number {
    const { n } = this.stmts.anomalyCount.get() as { n: number };
    return this.stmts.deleteOldest.run(Math.max(1, atLeast, Math.ceil(n / 10))).changes;
  }

  async queryAnomalies(query: AnomalyQuery): Promise<AnomalyPage> {
    const params: unknown[] = [];
    const { where, order } = anomalyFilter(query, (v) => (params.push(v), '?'));
    const { limit, offset } = pageOf(query);
    const total = (this.cached(`SELECT count(*) AS n FROM anomalies${where}`).get(...params) as { n: number }).n;
    const sql = `SELECT ${ANOMALY_COLUMNS} FROM anomalies${where}${order} LIMIT ? OFFSET ?`;
    const items = (this.cached(sql).all(...params, limit, offset) as AnomalyRow[]).map(fromRow);
    return { total, items };
  }

  private cached(sql: string): Statement {
    let stmt = this.queryCache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.queryCache.set(sql, stmt);
    }
    return stmt;
  }

  async getAnomaly(id: string): Promise<AnomalyRecord | undefined> {
    const row = this.stmts.anomalyGet.get(cleanText(id)) as AnomalyRow | undefined;
    return row ? fromDetailRow(row) : undefined;
  }

  async setAnomalyContextAfter(entries: readonly AnomalyContextAfter[]): Promise<number> {
    if (!entries.length) return 0;
    const keep = this.settings.retention.contextLinesAfter;
    const setAll = this.db.transaction(() => {
      let changed = 0;
      for (const e of entries) {
        const p = contextAfterParams(e, keep);
        changed += this.stmts.anomalyContextAfter.run(p.lines, p.id).changes;
      }
      return changed;
    });
    return this.write('lines after anomalies', () => setAll.immediate());
  }

  async suppressAnomalies(filter: { id?: string; service?: string; templateId?: string }): Promise<number> {
    const params: unknown[] = [];
    const where = suppressFilter(filter, (v) => (params.push(v), '?'));
    const sql = `UPDATE anomalies SET suppressed = 1 WHERE suppressed = 0 AND ${where}`;
    return this.write('suppression', () => this.cached(sql).run(...params).changes);
  }

  async saveBenchmarkRun(run: BenchmarkRun, keep: number): Promise<void> {
    const save = this.db.transaction(() => {
      this.stmts.benchmarkPut.run(run.id, run.startedAt, JSON.stringify(run));
      this.stmts.benchmarkPrune.run(keep);
    });
    this.write(`benchmark run ${run.id}`, () => save.immediate());
  }

  async listBenchmarkRuns(limit: number): Promise<BenchmarkRun[]> {
    const rows = this.stmts.benchmarkList.all(limit) as { run: string }[];
    return rows.map((r) => JSON.parse(r.run) as BenchmarkRun);
  }

  async deleteBenchmarkRun(id: string): Promise<boolean> {
    return this.write(`benchmark run ${id}`, () => this.stmts.benchmarkDelete.run(id).changes > 0);
  }

  async insertFeedback(feedback: FeedbackRow): Promise<void> {
    this.write('feedback', () => this.stmts.feedbackInsert.run(...feedbackParams(feedback)));
  }

  async listFeedback(service: string): Promise<FeedbackRow[]> {
    const rows = this.stmts.feedbackList.all(service) as {
      time: string;
      service: string;
      kind: Feedback['kind'];
      anomaly_id: string | null;
      template_id: string | null;
      comment: string | null;
    }[];
    return rows.map((r) => {
      const f: FeedbackRow = { kind: r.kind, service: r.service, time: r.time };
      if (r.anomaly_id !== null) f.anomalyId = r.anomaly_id;
      if (r.template_id !== null) f.templateId = r.template_id;
      if (r.comment !== null) f.comment = r.comment;
      return f;
    });
  }

  async enforceRetention(nowMs: number): Promise<number> {
    const { anomalyDays, maxAnomalies, modelVersions } = this.settings.retention;
    let deleted = 0;
    const cutoff = nowMs - anomalyDays * DAY_MS;
    for (;;) {
      const n = this.stmts.deleteBefore.run(cutoff, DELETE_CHUNK).changes;
      deleted += n;
      if (n < DELETE_CHUNK) break;
      await yieldToLoop();
    }
    let excess = (this.stmts.anomalyCount.get() as { n: number }).n - maxAnomalies;
    while (excess > 0) {
      const n = this.stmts.deleteOldest.run(Math.min(excess, DELETE_CHUNK)).changes;
      deleted += n;
      excess -= n;
      if (n === 0) break;
      await yieldToLoop();
    }
    for (const { service } of this.stmts.modelServices.all() as { service: string }[])
      deleted += this.stmts.pruneModels.run(service, service, modelVersions).changes;
    return deleted;
  }
}

function bytesOf(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function storedModel(row: (ModelRow & { bytes: Buffer }) | undefined): StoredModel | undefined {
  return row ? { info: modelFromRow(row), bytes: bytesOf(row.bytes) } : undefined;
}

function prepareStatements(db: Db) {
  const anomalyColumns = `${ANOMALY_COLUMNS}, detail`;
  return {
    minerGet: db.prepare('SELECT bytes FROM miner_state WHERE key = ?'),
    benchmarkPut: db.prepare('INSERT OR REPLACE INTO benchmark_runs (id, started_at, run) VALUES (?, ?, ?)'),
    benchmarkPrune: db.prepare(
      'DELETE FROM benchmark_runs WHERE id NOT IN (SELECT id FROM benchmark_runs ORDER BY started_at DESC LIMIT ?)',
    ),
    benchmarkDelete: db.prepare('DELETE FROM benchmark_runs WHERE id = ?'),
    anomalyContextAfter: db.prepare(
      "UPDATE anomalies SET detail = json_set(detail, '$.contextAfter', json(?)) WHERE id = ?",
    ),
    benchmarkList: db.prepare('SELECT run FROM benchmark_runs ORDER BY started_at DESC LIMIT ?'),
    minerPut: db.prepare(
      'INSERT INTO miner_state (key, bytes, updated_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes, updated_at = excluded.updated_at',
    ),
    configGet: db.prepare('SELECT config FROM model_config WHERE service = ?'),
    configPut: db.prepare(
      'INSERT INTO model_config (service, config, updated_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (service) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at',
    ),
    maxVersion: db.prepare('SELECT max(version) AS v FROM models WHERE service = ?'),
    deactivateAll: db.prepare('UPDATE models SET active = 0 WHERE service = ? AND active = 1'),
    activate: db.prepare('UPDATE models SET active = 1 WHERE service = ? AND version = ?'),
    modelInsert: db.prepare(`INSERT INTO models (${MODEL_COLUMNS}, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    // Keep the newest `modelVersions` versions, and the active one wherever it is.
    pruneModels: db.prepare(
      'DELETE FROM models WHERE service = ? AND active = 0 AND version NOT IN ' +
        '(SELECT version FROM models WHERE service = ? ORDER BY version DESC LIMIT ?)',
    ),
    modelList: db.prepare(`SELECT ${MODEL_COLUMNS} FROM models WHERE service = ? ORDER BY version DESC`),
    modelInfo: db.prepare(`SELECT ${MODEL_COLUMNS} FROM models WHERE service = ? AND version = ?`),
    modelGet: db.prepare(`SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE service = ? AND version = ?`),
    modelActive: db.prepare(`SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE service = ? AND active = 1`),
    modelServices: db.prepare('SELECT DISTINCT service FROM models'),
    anomalyInsert: db.prepare(
      `INSERT OR IGNORE INTO anomalies (${anomalyColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    anomalyGet: db.prepare(`SELECT ${anomalyColumns} FROM anomalies WHERE id = ?`),
    anomalyCount: db.prepare('SELECT count(*) AS n FROM anomalies'),
    deleteBefore: db.prepare(
      'DELETE FROM anomalies WHERE rowid IN (SELECT rowid FROM anomalies WHERE time_ms < ? LIMIT ?)',
    ),
    deleteOldest: db.prepare(
      'DELETE FROM anomalies WHERE rowid IN (SELECT rowid FROM anomalies ORDER BY time_ms ASC, id ASC LIMIT ?)',
    ),
    feedbackInsert: db.prepare(
      'INSERT INTO feedback (time, service, kind, anomaly_id, template_id, comment) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    feedbackList: db.prepare(
      'SELECT time, service, kind, anomaly_id, template_id, comment FROM feedback WHERE service = ? ORDER BY id',
    ),
  };
}
