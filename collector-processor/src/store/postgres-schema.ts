import type { PoolClient } from 'pg';
import { StoreError } from './errors';

/** Advisory lock keys (one 64-bit namespace per purpose, 'anml' + purpose). */
export const LOCK_MIGRATE = 0x616e6d6c0001n;
export const LOCK_RETENTION = 0x616e6d6c0002n;
/** Per-service model numbering: pg_advisory_xact_lock(LOCK_MODELS_CLASS, hashtext(service)). */
export const LOCK_MODELS_CLASS = 0x616e6d6c;

/**
 * PostgreSQL schema as numbered migrations (same tables as SQLite). Replicas starting together take
 * an advisory lock, so exactly one applies each migration.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE miner_state (key TEXT PRIMARY KEY, bytes BYTEA NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
  CREATE TABLE model_config (service TEXT PRIMARY KEY, config JSONB NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
  CREATE TABLE models (
    service TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL,
    trained_from TEXT NOT NULL, trained_to TEXT NOT NULL, records BIGINT NOT NULL,
    detectors JSONB NOT NULL, metrics JSONB NOT NULL, active BOOLEAN NOT NULL DEFAULT false, bytes BYTEA NOT NULL,
    PRIMARY KEY (service, version)
  );
  CREATE UNIQUE INDEX models_one_active ON models (service) WHERE active;
  CREATE TABLE anomalies (
    id TEXT PRIMARY KEY, time_ms BIGINT NOT NULL, service TEXT NOT NULL, template_id TEXT NOT NULL,
    template TEXT NOT NULL, message TEXT NOT NULL, score DOUBLE PRECISION NOT NULL, detector TEXT NOT NULL,
    reason TEXT NOT NULL, session_id TEXT, severity_text TEXT, suppressed BOOLEAN NOT NULL DEFAULT false,
    detail JSONB NOT NULL
  );
  CREATE INDEX anomalies_time ON anomalies (time_ms);
  CREATE INDEX anomalies_service_time ON anomalies (service, time_ms);
  CREATE INDEX anomalies_detector_time ON anomalies (detector, time_ms);
  CREATE INDEX anomalies_template_time ON anomalies (template_id, time_ms);
  CREATE INDEX anomalies_score ON anomalies (score);
  CREATE TABLE feedback (
    id BIGSERIAL PRIMARY KEY, time TEXT NOT NULL, service TEXT NOT NULL, kind TEXT NOT NULL,
    anomaly_id TEXT, template_id TEXT, comment TEXT
  );
  CREATE INDEX feedback_service ON feedback (service);
  `,
  `
  CREATE TABLE benchmark_runs (id TEXT PRIMARY KEY, started_at TEXT NOT NULL, run JSONB NOT NULL);
  CREATE INDEX benchmark_runs_started ON benchmark_runs (started_at);
  `,
];

export async function migratePostgres(client: PoolClient, where: string): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [LOCK_MIGRATE.toString()]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS anomalog_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM anomalog_schema');
    const current = rows[0].v ?? 0;
    if (current > MIGRATIONS.length)
      throw new StoreError(
        `PostgreSQL store ${where} has schema version ${current}, newer than this Anomalog knows (${MIGRATIONS.length}); ` +
          'run the same Anomalog version on every replica',
      );
    for (let v = current + 1; v <= MIGRATIONS.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[v - 1]);
        await client.query('INSERT INTO anomalog_schema (version) VALUES ($1)', [v]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_MIGRATE.toString()]);
  }
}
