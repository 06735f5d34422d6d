import type { Logger } from '../../telemetry/logger';
import { LOCK_RETENTION } from '../postgres-schema';
import type { StoreStatus } from '../store';
import { StoreOfParts } from '../parts';
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
export class PostgresStore extends StoreOfParts<ReturnType<typeof postgresParts>> {
  readonly location: string;
  private readonly c: PostgresConnection;

  constructor(settings: StoreSettings, logger: Logger) {
    const c = new PostgresConnection(settings, logger);
    super(postgresParts(c));
    this.c = c;
    this.location = c.location;
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
        const deleted = await this.parts.anomalies.prune(client, nowMs, anomalyDays, maxAnomalies);
        return deleted + (await this.parts.models.prune(client, modelVersions));
      } finally {
        // A session lock left on a pooled connection would stop every later round: if the unlock
        // fails, the connection is destroyed, which releases the lock.
        await client
          .query('SELECT pg_advisory_unlock($1)', [LOCK_RETENTION.toString()])
          .catch(() => (state.broken = true));
      }
    });
  }
}

function postgresParts(c: PostgresConnection) {
  return {
    minerStates: new PostgresMinerStates(c),
    models: new PostgresModels(c),
    anomalies: new PostgresAnomalies(c),
    benchmarks: new PostgresBenchmarks(c),
    feedback: new PostgresFeedback(c),
  };
}
