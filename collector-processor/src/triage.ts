/**
 * Triage beside the chain: the triage store on the Store's database, the suppressions in force
 * (reloaded now and then, so another replica's changes apply here too), incident grouping of stored
 * anomalies, and pruning of incidents and expired suppressions with the anomalies' retention.
 */
import type { AnomalogConfig } from '@anomalog/shared';
import type { IncidentGrouping } from './chain/anomaly-queue';
import { LiveSuppressions } from './chain/suppressions';
import type { Store } from './store/store';
import type { TriageStore } from './store/triage';
import { createTriageStore } from './store/triage-create';
import type { Logger } from './telemetry/logger';

const RELOAD_MS = 30_000;
const PRUNE_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface RunningTriage {
  store: TriageStore;
  suppressions: LiveSuppressions;
  incidents: IncidentGrouping;
  close(): Promise<void>;
}

export async function startTriage(config: AnomalogConfig, store: Store, logger: Logger): Promise<RunningTriage> {
  const triage = await createTriageStore(config.store, store);
  const suppressions = new LiveSuppressions(await triage.listSuppressions());
  const gapMs = config.triage.incidentGapSeconds * 1000;
  const log = (what: string) => (err: Error) => logger.warn({ err: err.message }, what);
  const reload = setInterval(() => {
    triage
      .listSuppressions()
      .then((list) => suppressions.replace(list))
      .catch(log('suppressions not reloaded'));
  }, RELOAD_MS);
  const prune = setInterval(() => {
    triage.prune(Date.now() - config.store.retention.anomalyDays * DAY_MS).catch(log('incidents not pruned'));
  }, PRUNE_MS);
  reload.unref();
  prune.unref();
  return {
    store: triage,
    suppressions,
    incidents: { record: (anomalies) => triage.recordIncidents(anomalies, gapMs) },
    async close() {
      clearInterval(reload);
      clearInterval(prune);
      await triage.close();
    },
  };
}
