import type {
  AggregateAnswer,
  AggregateQuery,
  Anomaly,
  Incident,
  IncidentPage,
  IncidentQuery,
  IncidentStatus,
  Suppression,
} from '@anomalog/shared';
import type { AnomalyRecord } from './store';

/**
 * What triage keeps beside the anomalies: incidents (anomalies grouped by service and template or
 * session, close in time), suppressions, and aggregates read from the anomaly rows. A small interface
 * of its own over the same database as the Store (SQLite `triage-sqlite.ts`, PostgreSQL
 * `triage-postgres.ts`); its tables are created by `open()` if missing.
 */
export interface TriageStore {
  open(): Promise<void>;
  close(): Promise<void>;

  /**
   * Group a batch of stored anomalies into incidents: each joins the open (or acknowledged) incident
   * of its service and group key whose last anomaly is at most `gapMs` before it, else starts one.
   * An anomaly already grouped is skipped (a replayed batch counts once).
   */
  recordIncidents(anomalies: readonly AnomalyRecord[], gapMs: number): Promise<void>;
  listIncidents(query: IncidentQuery): Promise<IncidentPage>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Its anomalies still stored, newest first. */
  incidentRecords(id: string, limit: number): Promise<Anomaly[]>;
  setIncidentStatus(id: string, status: IncidentStatus): Promise<Incident | undefined>;

  /** Counts and score quantiles per bucket, service and detector (GROUP BY in the database). */
  aggregate(query: AggregateQuery): Promise<AggregateAnswer>;

  insertSuppression(s: Suppression): Promise<void>;
  listSuppressions(): Promise<Suppression[]>;
  deleteSuppression(id: string): Promise<boolean>;

  /** Incidents last seen before `beforeMs` and suppressions expired before it go; returns rows deleted. */
  prune(beforeMs: number): Promise<number>;
}
