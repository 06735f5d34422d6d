import type { Database as Db } from 'better-sqlite3';
import type { Logger } from '../../telemetry/logger';
import type { LowSpaceOptions } from '../low-space';
import type { StoreStatus } from '../store';
import { StoreOfParts } from '../parts';
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
export class SqliteStore extends StoreOfParts<ReturnType<typeof sqliteParts>> {
  readonly file: string;
  private readonly c: SqliteConnection;

  constructor(settings: StoreSettings, logger: Logger, options: LowSpaceOptions = {}) {
    const c = new SqliteConnection(settings, logger, options);
    super(sqliteParts(c));
    this.c = c;
    this.file = c.file;
  }

  /** The open connection (the triage store shares it; tests use it to set PRAGMA max_page_count). */
  get db(): Db {
    return this.c.db;
  }

  async open(): Promise<void> {
    this.c.open((db) => {
      for (const part of Object.values(this.parts)) part.prepare(db);
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
    const deleted = await this.parts.anomalies.prune(nowMs, anomalyDays, maxAnomalies);
    return deleted + this.parts.models.prune(modelVersions);
  }
}

function sqliteParts(c: SqliteConnection) {
  return {
    minerStates: new SqliteMinerStates(c),
    models: new SqliteModels(c),
    anomalies: new SqliteAnomalies(c),
    benchmarks: new SqliteBenchmarks(c),
    feedback: new SqliteFeedback(c),
  };
}
