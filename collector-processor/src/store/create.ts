import type { AnomalogConfig } from '@anomalog/shared';
import type { Logger } from '../telemetry/logger';
import { PostgresStore } from './postgres';
import { SqliteStore } from './sqlite';
import type { Store } from './store';

/**
 * The store the configuration asks for, opened (tables created or migrated). Throws StoreError with a
 * message naming the file or server and what to do when it cannot be opened.
 */
export async function createStore(config: AnomalogConfig['store'], logger: Logger): Promise<Store> {
  const store: Store = config.kind === 'postgres' ? new PostgresStore(config, logger) : new SqliteStore(config, logger);
  await store.open();
  return store;
}
