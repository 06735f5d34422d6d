import type { AnomalogConfig } from '@anomalog/shared';
import { SqliteStore } from './sqlite';
import type { Store } from './store';
import type { TriageStore } from './triage';
import { PostgresTriageStore } from './triage-postgres';
import { SqliteTriageStore } from './triage-sqlite';

/** The triage store on the same database as `store` (opened: its tables created if missing). */
export async function createTriageStore(config: AnomalogConfig['store'], store: Store): Promise<TriageStore> {
  const triage: TriageStore =
    store instanceof SqliteStore ? new SqliteTriageStore(() => store.db) : new PostgresTriageStore(config.postgresUrl);
  await triage.open();
  return triage;
}
