import type { Database } from 'better-sqlite3';
import { StoreError } from './errors';

/**
 * SQLite schema, applied as numbered migrations. `anomalog_schema` holds one row per applied
 * migration; a database from a newer build (higher version than known here) is refused.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE miner_state (key TEXT PRIMARY KEY, bytes BLOB NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE model_config (service TEXT PRIMARY KEY, config TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE models (
    service TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL,
    trained_from TEXT NOT NULL, trained_to TEXT NOT NULL, records INTEGER NOT NULL,
    detectors TEXT NOT NULL, metrics TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 0, bytes BLOB NOT NULL,
    PRIMARY KEY (service, version)
  );
  CREATE UNIQUE INDEX models_one_active ON models (service) WHERE active = 1;
  CREATE TABLE anomalies (
    id TEXT PRIMARY KEY, time_ms INTEGER NOT NULL, service TEXT NOT NULL, template_id TEXT NOT NULL,
    template TEXT NOT NULL, message TEXT NOT NULL, score REAL NOT NULL, detector TEXT NOT NULL,
    reason TEXT NOT NULL, session_id TEXT, severity_text TEXT, suppressed INTEGER NOT NULL DEFAULT 0,
    detail TEXT NOT NULL
  );
  CREATE INDEX anomalies_time ON anomalies (time_ms);
  CREATE INDEX anomalies_service_time ON anomalies (service, time_ms);
  CREATE INDEX anomalies_detector_time ON anomalies (detector, time_ms);
  CREATE INDEX anomalies_template_time ON anomalies (template_id, time_ms);
  CREATE INDEX anomalies_score ON anomalies (score);
  CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, service TEXT NOT NULL, kind TEXT NOT NULL,
    anomaly_id TEXT, template_id TEXT, comment TEXT
  );
  CREATE INDEX feedback_service ON feedback (service);
  `,
  `
  CREATE TABLE benchmark_runs (id TEXT PRIMARY KEY, started_at TEXT NOT NULL, run TEXT NOT NULL);
  CREATE INDEX benchmark_runs_started ON benchmark_runs (started_at);
  `,
];

export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

export function migrateSqlite(db: Database, file: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS anomalog_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const row = db.prepare('SELECT max(version) AS v FROM anomalog_schema').get() as { v: number | null };
  const current = row.v ?? 0;
  if (current > MIGRATIONS.length)
    throw new StoreError(
      `SQLite database ${file} has schema version ${current}, newer than this Anomalog knows (${MIGRATIONS.length}); ` +
        'run a newer Anomalog or restore a backup made by this version',
    );
  for (let v = current + 1; v <= MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v - 1]);
      db.prepare('INSERT INTO anomalog_schema (version, applied_at) VALUES (?, ?)').run(v, new Date().toISOString());
    }).immediate();
  }
}
