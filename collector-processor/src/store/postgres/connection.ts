import { Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import type { AnomalogConfig } from '@anomalog/shared';
import type { Logger } from '../../telemetry/logger';
import { errorMessage, isDiskFull, StoreError, StoreFullError } from '../errors';
import { FullDiskGuard } from '../full-disk';
import { migratePostgres } from '../postgres-schema';
import type { StoreStatus } from '../store';

export type StoreSettings = AnomalogConfig['store'];

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
 * The connection pool the concerns' stores share: opening (with migration), the full-disk guard every
 * write goes through, one-statement queries retried once on a lost connection, and transactions.
 */
export class PostgresConnection {
  readonly location: string;
  readonly guard: FullDiskGuard;
  private pool: Pool | undefined;

  constructor(
    readonly settings: StoreSettings,
    readonly logger: Logger,
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

  get db(): Pool {
    if (!this.pool) throw new StoreError(`PostgreSQL store ${this.location} is not open`);
    return this.pool;
  }

  /** Run a write; a full disk marks the status and becomes StoreFullError. */
  async write<T>(what: string, fn: () => Promise<T>): Promise<T> {
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
  async query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
    try {
      return await this.db.query<R>(sql, params);
    } catch (err) {
      if (!isConnectionLost(err)) throw err;
      this.logger.warn({ err: errorMessage(err), store: this.location }, 'PostgreSQL connection lost; retrying once');
      return this.db.query<R>(sql, params);
    }
  }

  async transaction<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
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

  /** Several statements on one pooled connection (withClient). */
  withClient<T>(fn: (client: PoolClient, state: { broken: boolean }) => Promise<T>): Promise<T> {
    return withClient(this.db, this.onLost, fn);
  }

  private readonly onLost = (err: Error) =>
    this.logger.warn({ err: errorMessage(err), store: this.location }, 'PostgreSQL connection lost during a call');
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

export function bytesOf(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
