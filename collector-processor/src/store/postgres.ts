import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
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
import { FullDiskGuard } from './full-disk';
import { LOCK_MODELS_CLASS, LOCK_RETENTION, migratePostgres } from './postgres-schema';
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
import type { AnomalyContextAfter, AnomalyRecord, Store, StoreStatus, StoredModel } from './store';

type StoreSettings = AnomalogConfig['store'];
type FeedbackRow = Feedback & { time: string };

const DELETE_CHUNK = 5000;
const DAY_MS = 86_400_000;

/** The URL without its password, for messages and status. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable store.postgresUrl)';
  }
}

/**
 * The shared store for several replicas. Every write is one statement or one transaction, so a
 * replica killed at any moment leaves only whole commits. Model numbers per service are taken under
 * a transaction-scoped advisory lock, and (service, version) is the primary key: two replicas saving
 * at once get consecutive versions, never the same one.
 */
export class PostgresStore implements Store {
  readonly location: string;
  private pool: Pool | undefined;
  private readonly guard: FullDiskGuard;

  constructor(
    private readonly settings: StoreSettings,
    private readonly logger: Logger,
  ) {
    this.location = redactUrl(settings.postgresUrl);
    this.guard = new FullDiskGuard('postgres', this.location, logger);
  }

  async open(): Promise<void> {
    if (!this.settings.postgresUrl)
      throw new StoreError(
        'store.kind is postgres but store.postgresUrl is empty: set ANOMALOG_STORE_POSTGRES_URL=postgres://user:pass@host:5432/db',
      );
    const pool = new Pool({
      connectionString: this.settings.postgresUrl,
      max: 4,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'anomalog',
    });
    // An idle connection dropped by the server must not crash the process; the pool reconnects.
    pool.on('error', (err) =>
      this.logger.warn({ err: errorMessage(err), store: this.location }, 'PostgreSQL connection lost'),
    );
    try {
      await withClient(pool, this.onLost, (client) => migratePostgres(client, this.location));
    } catch (err) {
      await pool.end().catch(() => undefined);
      if (err instanceof StoreError) throw err;
      throw new StoreError(
        `cannot open the PostgreSQL store at ${this.location}: ${errorMessage(err) || (err as { code?: string }).code}. ` +
          'Check store.postgresUrl (ANOMALOG_STORE_POSTGRES_URL), that the server runs and accepts this user and database',
        { cause: err },
      );
    }
    this.pool = pool;
    this.logger.info({ store: this.location }, 'PostgreSQL store open');
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  status(): StoreStatus {
    return this.guard.status();
  }

  private get db(): Pool {
    if (!this.pool) throw new StoreError(`PostgreSQL store ${this.location} is not open`);
    return this.pool;
  }

  /** Run a write; a full disk marks the status and becomes StoreFullError. */
  private async write<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return this.guard.succeeded(await fn());
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      this.guard.full(err);
      throw new StoreFullError(`store full: cannot save ${what} to ${this.location}; free disk space`, { cause: err });
    }
  }

  /**
   * One idempotent statement (a read, an upsert, an insert that skips known ids), retried once when
   * the connection was lost: after a server restart or failover the pool may still hand out a
   * connection whose end it has not yet seen, and the stream's batch should not be lost for that.
   * Not for saveModel (a lost COMMIT reply would make a retry take a second number) or feedback.
   */
  private async query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    try {
      return await this.db.query<R>(sql, params);
    } catch (err) {
      if (!isConnectionLost(err)) throw err;
      this.logger.warn({ err: errorMessage(err), store: this.location }, 'PostgreSQL connection lost; retrying once');
      return this.db.query<R>(sql, params);
    }
  }

  private async transaction<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return withClient(this.db, this.onLost, async (client, state) => {
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it, never reuse it.
        await client.query('ROLLBACK').catch(() => (state.broken = true));
        throw err;
      }
    });
  }

  private readonly onLost = (err: Error) =>
    this.logger.warn({ err: errorMessage(err), store: this.location }, 'PostgreSQL connection lost during a call');

  async loadMinerState(key: string): Promise<Uint8Array | undefined> {
    const { rows } = await this.query<{ bytes: Buffer }>('SELECT bytes FROM miner_state WHERE key = $1', [key]);
    return rows[0] ? bytesOf(rows[0].bytes) : undefined;
  }

  async saveMinerState(key: string, bytes: Uint8Array): Promise<void> {
    await this.write(`miner state ${key}`, () =>
      this.query(
        'INSERT INTO miner_state (key, bytes, updated_at) VALUES ($1, $2, now()) ' +
          'ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes, updated_at = excluded.updated_at',
        [key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
      ),
    );
  }

  async saveMinerStates(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void> {
    if (entries.length === 0) return;
    await this.write(`miner state of ${entries.length} service(s)`, () =>
      this.transaction(async (c) => {
        for (const [key, bytes] of entries)
          await c.query(
            'INSERT INTO miner_state (key, bytes, updated_at) VALUES ($1, $2, now()) ' +
              'ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes, updated_at = excluded.updated_at',
            [key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
          );
      }),
    );
  }

  async getModelConfig(service: string): Promise<ModelConfig | undefined> {
    const { rows } = await this.query<{ config: ModelConfig }>('SELECT config FROM model_config WHERE service = $1', [
      service,
    ]);
    return rows[0]?.config;
  }

  async putModelConfig(service: string, config: ModelConfig): Promise<void> {
    await this.write(`model config of ${service}`, () =>
      this.query(
        'INSERT INTO model_config (service, config, updated_at) VALUES ($1, $2, now()) ' +
          'ON CONFLICT (service) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at',
        [service, JSON.stringify(config)],
      ),
    );
  }

  async saveModel(model: StoredModel): Promise<ModelVersion> {
    const { info } = model;
    return this.write(`model of ${info.service}`, () =>
      this.transaction(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_MODELS_CLASS, info.service]);
        const { rows } = await c.query<{ v: number | null }>(
          'SELECT max(version) AS v FROM models WHERE service = $1',
          [info.service],
        );
        const stored: ModelVersion = { ...info, metrics: finiteMetrics(info.metrics), version: (rows[0].v ?? 0) + 1 };
        if (stored.active)
          await c.query('UPDATE models SET active = false WHERE service = $1 AND active', [info.service]);
        await c.query(`INSERT INTO models (${MODEL_COLUMNS}, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
          stored.service,
          stored.version,
          stored.createdAt,
          stored.trainedFrom,
          stored.trainedTo,
          stored.records,
          JSON.stringify(stored.detectors),
          JSON.stringify(stored.metrics),
          stored.active,
          Buffer.from(model.bytes.buffer, model.bytes.byteOffset, model.bytes.byteLength),
        ]);
        await pruneModels(c, info.service, this.settings.retention.modelVersions);
        return stored;
      }),
    );
  }

  async listModels(service: string): Promise<ModelVersion[]> {
    const { rows } = await this.query<ModelRow>(
      `SELECT ${MODEL_COLUMNS} FROM models WHERE service = $1 ORDER BY version DESC`,
      [service],
    );
    return rows.map(modelFromRow);
  }

  async loadActiveModel(service: string): Promise<StoredModel | undefined> {
    const { rows } = await this.query<ModelRow & { bytes: Buffer }>(
      `SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE service = $1 AND active`,
      [service],
    );
    return storedModel(rows[0]);
  }

  async loadModel(service: string, version: number): Promise<StoredModel | undefined> {
    const { rows } = await this.query<ModelRow & { bytes: Buffer }>(
      `SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE service = $1 AND version = $2`,
      [service, version],
    );
    return storedModel(rows[0]);
  }

  async activateModel(service: string, version: number): Promise<ModelVersion | undefined> {
    return this.write(`active version of ${service}`, () =>
      this.transaction(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_MODELS_CLASS, service]);
        const { rows } = await c.query<ModelRow>(
          `SELECT ${MODEL_COLUMNS} FROM models WHERE service = $1 AND version = $2`,
          [service, version],
        );
        if (!rows[0]) return undefined;
        await c.query('UPDATE models SET active = false WHERE service = $1 AND active', [service]);
        await c.query('UPDATE models SET active = true WHERE service = $1 AND version = $2', [service, version]);
        return { ...modelFromRow(rows[0]), active: true };
      }),
    );
  }

  async nextModelVersion(service: string): Promise<number> {
    const { rows } = await this.query<{ v: number | null }>('SELECT max(version) AS v FROM models WHERE service = $1', [
      service,
    ]);
    return (rows[0].v ?? 0) + 1;
  }

  async insertAnomalies(anomalies: readonly AnomalyRecord[]): Promise<number> {
    if (!anomalies.length) return 0;
    const rows = toInserts(anomalies, this.settings.retention.contextLines, this.logger);
    if (!rows.length) return 0;
    // Insert in id order: two replicas inserting overlapping batches (replays) in different orders
    // would otherwise wait on each other's rows and one would fail with "deadlock detected".
    rows.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    // One statement for the whole batch: column arrays unnested into rows.
    const columns = [
      rows.map((r) => r.id),
      rows.map((r) => r.timeMs),
      rows.map((r) => r.service),
      rows.map((r) => r.templateId),
      rows.map((r) => r.template),
      rows.map((r) => r.message),
      rows.map((r) => r.score),
      rows.map((r) => r.detector),
      rows.map((r) => r.reason),
      rows.map((r) => r.sessionId),
      rows.map((r) => r.severityText),
      rows.map((r) => r.suppressed),
      rows.map((r) => r.detail),
    ];
    const sql =
      `INSERT INTO anomalies (${ANOMALY_COLUMNS}, detail) SELECT * FROM unnest($1::text[], $2::bigint[], ` +
      '$3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::text[], $9::text[], $10::text[], ' +
      '$11::text[], $12::bool[], $13::jsonb[]) ON CONFLICT (id) DO NOTHING';
    return this.guard.insert(rows.length, async (trimAtLeast) => {
      if (trimAtLeast === 0) return { inserted: (await this.query(sql, columns)).rowCount ?? 0, trimmed: 0 };
      return this.transaction(async (c) => {
        const trimmed = await trimOldest(c, trimAtLeast);
        return { inserted: (await c.query(sql, columns)).rowCount ?? 0, trimmed };
      });
    });
  }

  async queryAnomalies(query: AnomalyQuery): Promise<AnomalyPage> {
    const params: unknown[] = [];
    const { where, order } = anomalyFilter(query, (v) => `$${params.push(v)}`);
    const { limit, offset } = pageOf(query);
    const count = await this.query<{ n: number }>(`SELECT count(*)::int AS n FROM anomalies${where}`, params);
    const page = await this.query<AnomalyRow>(
      `SELECT ${ANOMALY_COLUMNS} FROM anomalies${where}${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return { total: count.rows[0].n, items: page.rows.map(fromRow) };
  }

  async getAnomaly(id: string): Promise<AnomalyRecord | undefined> {
    const { rows } = await this.query<AnomalyRow>(`SELECT ${ANOMALY_COLUMNS}, detail FROM anomalies WHERE id = $1`, [
      cleanText(id),
    ]);
    return rows[0] ? fromDetailRow(rows[0]) : undefined;
  }

  async setAnomalyContextAfter(entries: readonly AnomalyContextAfter[]): Promise<number> {
    if (!entries.length) return 0;
    const keep = this.settings.retention.contextLinesAfter;
    const params = entries.map((e) => contextAfterParams(e, keep));
    // One statement for the batch; setting the same lines twice (a retry) changes nothing.
    const res = await this.write('lines after anomalies', () =>
      this.query(
        "UPDATE anomalies a SET detail = jsonb_set(a.detail, '{contextAfter}', u.lines) " +
          'FROM unnest($1::text[], $2::jsonb[]) AS u(id, lines) WHERE a.id = u.id',
        [params.map((p) => p.id), params.map((p) => p.lines)],
      ),
    );
    return res.rowCount ?? 0;
  }

  async suppressAnomalies(filter: { id?: string; service?: string; templateId?: string }): Promise<number> {
    const params: unknown[] = [];
    const where = suppressFilter(filter, (v) => `$${params.push(v)}`);
    const res = await this.write('suppression', () =>
      this.query(`UPDATE anomalies SET suppressed = true WHERE NOT suppressed AND ${where}`, params),
    );
    return res.rowCount ?? 0;
  }

  async saveBenchmarkRun(run: BenchmarkRun, keep: number): Promise<void> {
    await this.write(`benchmark run ${run.id}`, () =>
      this.db.query(
        'WITH saved AS (INSERT INTO benchmark_runs (id, started_at, run) VALUES ($1, $2, $3) ' +
          'ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, run = excluded.run) ' +
          'DELETE FROM benchmark_runs WHERE id NOT IN ' +
          '(SELECT id FROM benchmark_runs WHERE id <> $1 ORDER BY started_at DESC LIMIT $4 - 1) AND id <> $1',
        [run.id, run.startedAt, JSON.stringify(run), keep],
      ),
    );
  }

  async listBenchmarkRuns(limit: number): Promise<BenchmarkRun[]> {
    const { rows } = await this.query<{ run: BenchmarkRun }>(
      'SELECT run FROM benchmark_runs ORDER BY started_at DESC LIMIT $1',
      [limit],
    );
    return rows.map((r) => r.run);
  }

  async deleteBenchmarkRun(id: string): Promise<boolean> {
    const res = await this.write(`benchmark run ${id}`, () =>
      this.query('DELETE FROM benchmark_runs WHERE id = $1', [id]),
    );
    return (res.rowCount ?? 0) > 0;
  }

  async insertFeedback(f: FeedbackRow): Promise<void> {
    await this.write('feedback', () =>
      this.db.query(
        'INSERT INTO feedback (time, service, kind, anomaly_id, template_id, comment) VALUES ($1, $2, $3, $4, $5, $6)',
        feedbackParams(f),
      ),
    );
  }

  async listFeedback(service: string): Promise<FeedbackRow[]> {
    const { rows } = await this.query<{
      time: string;
      service: string;
      kind: Feedback['kind'];
      anomaly_id: string | null;
      template_id: string | null;
      comment: string | null;
    }>('SELECT time, service, kind, anomaly_id, template_id, comment FROM feedback WHERE service = $1 ORDER BY id', [
      service,
    ]);
    return rows.map((r) => {
      const f: FeedbackRow = { kind: r.kind, service: r.service, time: r.time };
      if (r.anomaly_id !== null) f.anomalyId = r.anomaly_id;
      if (r.template_id !== null) f.templateId = r.template_id;
      if (r.comment !== null) f.comment = r.comment;
      return f;
    });
  }

  /** One replica at a time (session advisory lock); the others skip this round and return 0. */
  async enforceRetention(nowMs: number): Promise<number> {
    return withClient(this.db, this.onLost, async (client, state) => {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        LOCK_RETENTION.toString(),
      ]);
      if (!rows[0].ok) return 0;
      try {
        return await this.retain(client, nowMs);
      } finally {
        // A session lock left on a pooled connection would stop every later round: if the unlock
        // fails, the connection is destroyed, which releases the lock.
        await client
          .query('SELECT pg_advisory_unlock($1)', [LOCK_RETENTION.toString()])
          .catch(() => (state.broken = true));
      }
    });
  }

  private async retain(c: PoolClient, nowMs: number): Promise<number> {
    const { anomalyDays, maxAnomalies, modelVersions } = this.settings.retention;
    let deleted = 0;
    const cutoff = Math.floor(nowMs - anomalyDays * DAY_MS);
    for (;;) {
      const n =
        (
          await c.query('DELETE FROM anomalies WHERE id IN (SELECT id FROM anomalies WHERE time_ms < $1 LIMIT $2)', [
            cutoff,
            DELETE_CHUNK,
          ])
        ).rowCount ?? 0;
      deleted += n;
      if (n < DELETE_CHUNK) break;
      await yieldToLoop();
    }
    const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM anomalies');
    let excess = rows[0].n - maxAnomalies;
    while (excess > 0) {
      const n =
        (
          await c.query(
            'DELETE FROM anomalies WHERE id IN (SELECT id FROM anomalies ORDER BY time_ms ASC, id ASC LIMIT $1)',
            [Math.min(excess, DELETE_CHUNK)],
          )
        ).rowCount ?? 0;
      deleted += n;
      excess -= n;
      if (n === 0) break;
    }
    const services = await c.query<{ service: string }>('SELECT DISTINCT service FROM models');
    for (const { service } of services.rows) deleted += await pruneModels(c, service, modelVersions);
    return deleted;
  }
}

/**
 * A pooled connection for several statements. pg emits 'error' on a checked-out client whose
 * connection ends (server restart, pg_terminate_backend), and the pool listens only while a client is
 * idle: with no listener here that event is an uncaught exception that ends the process. A client
 * that lost its connection, or that `fn` marks broken, is destroyed instead of returned to the pool.
 */
async function withClient<T>(
  pool: Pool,
  onLost: (err: Error) => void,
  fn: (client: PoolClient, state: { broken: boolean }) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const state = { broken: false };
  const listener = (err: Error) => {
    state.broken = true;
    onLost(err);
  };
  client.on('error', listener);
  try {
    return await fn(client, state);
  } catch (err) {
    if (isConnectionLost(err)) state.broken = true;
    throw err;
  } finally {
    client.removeListener('error', listener);
    client.release(state.broken);
  }
}

/** Errors that mean the connection, not the statement, failed (class 08, server shutdown, socket). */
function isConnectionLost(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (
    typeof code === 'string' &&
    (code.startsWith('08') || /^57P0[123]$/.test(code) || code === 'ECONNRESET' || code === 'EPIPE')
  )
    return true;
  return /Connection terminated|connection (?:is )?closed|Client has encountered a connection error/i.test(
    errorMessage(err),
  );
}

/**
 * Make room on a full disk: delete the oldest tenth of the anomalies, or `atLeast`. PostgreSQL reuses
 * the space of deleted rows only after (auto)vacuum, so on a really full disk this rarely makes room
 * at once; the retry's transaction then rolls the deletion back.
 */
async function trimOldest(c: PoolClient, atLeast: number): Promise<number> {
  const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM anomalies');
  const res = await c.query(
    'DELETE FROM anomalies WHERE id IN (SELECT id FROM anomalies ORDER BY time_ms ASC, id ASC LIMIT $1)',
    [Math.max(1, atLeast, Math.ceil(rows[0].n / 10))],
  );
  return res.rowCount ?? 0;
}

/** Keep the newest `keep` versions of a service, and the active one wherever it is. */
async function pruneModels(c: PoolClient, service: string, keep: number): Promise<number> {
  const res = await c.query(
    'DELETE FROM models WHERE service = $1 AND NOT active AND version NOT IN ' +
      '(SELECT version FROM models WHERE service = $1 ORDER BY version DESC LIMIT $2)',
    [service, keep],
  );
  return res.rowCount ?? 0;
}

function bytesOf(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function storedModel(row: (ModelRow & { bytes: Buffer }) | undefined): StoredModel | undefined {
  return row ? { info: modelFromRow(row), bytes: bytesOf(row.bytes) } : undefined;
}
