import type { Database as Db } from 'better-sqlite3';
import type * as api from '@anomalog/shared';
import { ANOMALY_COLUMNS, fromRow, type AnomalyRow } from './rows';
import type { AnomalyRecord } from './store';
import type { TriageStore } from './triage';
import * as triage from './triage-rows';
import { rowId } from '../util/row-id';

/** The triage tables, created beside the Store's in the same file (idempotent). */
export const SQLITE_TRIAGE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS incidents (
    id TEXT PRIMARY KEY, service TEXT NOT NULL, group_key TEXT NOT NULL, template_id TEXT NOT NULL,
    template TEXT NOT NULL, session_id TEXT, first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL,
    count INTEGER NOT NULL, peak_score REAL NOT NULL, detectors TEXT NOT NULL, status TEXT NOT NULL,
    sample_message TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS incidents_key ON incidents (service, group_key, last_ms);
  CREATE INDEX IF NOT EXISTS incidents_last ON incidents (last_ms);
  CREATE TABLE IF NOT EXISTS incident_anomalies (anomaly_id TEXT PRIMARY KEY, incident_id TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS incident_anomalies_incident ON incident_anomalies (incident_id);
  CREATE TABLE IF NOT EXISTS suppressions (
    id TEXT PRIMARY KEY, service TEXT NOT NULL, template_id TEXT NOT NULL, template TEXT, detector TEXT,
    created_ms INTEGER NOT NULL, expires_ms INTEGER, comment TEXT, incident_id TEXT
  );
`;

/** Triage over the SQLite Store's connection (SqliteStore.db): one file, one writer. */
export class SqliteTriageStore implements TriageStore {
  constructor(private readonly db: () => Db) {}

  async open(): Promise<void> {
    this.db().exec(SQLITE_TRIAGE_SCHEMA);
  }

  async close(): Promise<void> {}

  async recordIncidents(anomalies: readonly AnomalyRecord[], gapMs: number): Promise<void> {
    const db = this.db();
    const runs = triage.incidentRuns(anomalies, gapMs);
    if (!runs.length) return;
    const find = db.prepare(
      `SELECT id, first_ms, detectors FROM incidents WHERE service = ? AND group_key = ? AND status IN ('open', 'acknowledged')
       AND last_ms >= ? ORDER BY last_ms DESC LIMIT 1`,
    );
    const link = db.prepare('INSERT OR IGNORE INTO incident_anomalies (anomaly_id, incident_id) VALUES (?, ?)');
    const insert = db.prepare(
      `INSERT INTO incidents (${triage.INCIDENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
    );
    const update = db.prepare(
      `UPDATE incidents SET first_ms = min(first_ms, ?), last_ms = max(last_ms, ?), count = count + ?,
       peak_score = max(peak_score, ?), detectors = ? WHERE id = ?`,
    );
    db.transaction(() => {
      for (const run of runs) {
        const found = find.get(run.service, run.groupKey, run.firstMs - gapMs) as
          { id: string; detectors: string } | undefined;
        const id = found?.id ?? rowId();
        let added = 0;
        for (const a of run.anomalyIds) added += link.run(a, id).changes;
        if (added === 0) continue;
        if (found) update.run(...triage.incidentUpdateParams(id, run, added, found.detectors));
        else insert.run(...triage.newIncidentParams(id, run, added));
      }
    }).immediate();
  }

  async listIncidents(query: api.IncidentQuery): Promise<api.IncidentPage> {
    const params: unknown[] = [];
    const where = triage.incidentFilter(query, (v) => (params.push(v), '?'));
    const db = this.db();
    const total = (db.prepare(`SELECT count(*) AS n FROM incidents${where}`).get(...params) as { n: number }).n;
    const rows = db
      .prepare(`SELECT ${triage.INCIDENT_COLUMNS} FROM incidents${where} ORDER BY last_ms DESC, id LIMIT ? OFFSET ?`)
      .all(...params, query.limit ?? 50, query.offset ?? 0) as triage.IncidentRow[];
    return { total, items: rows.map(triage.incidentFromRow) };
  }

  async getIncident(id: string): Promise<api.Incident | undefined> {
    const row = this.db().prepare(`SELECT ${triage.INCIDENT_COLUMNS} FROM incidents WHERE id = ?`).get(id) as
      triage.IncidentRow | undefined;
    return row ? triage.incidentFromRow(row) : undefined;
  }

  async incidentRecords(id: string, limit: number): Promise<api.Anomaly[]> {
    const cols = ANOMALY_COLUMNS.split(', ')
      .map((c) => `a.${c}`)
      .join(', ');
    const rows = this.db()
      .prepare(
        `SELECT ${cols} FROM incident_anomalies l JOIN anomalies a ON a.id = l.anomaly_id
         WHERE l.incident_id = ? ORDER BY a.time_ms DESC, a.id LIMIT ?`,
      )
      .all(id, limit) as AnomalyRow[];
    return rows.map(fromRow);
  }

  async setIncidentStatus(id: string, status: api.IncidentStatus): Promise<api.Incident | undefined> {
    this.db().prepare('UPDATE incidents SET status = ? WHERE id = ?').run(status, id);
    return this.getIncident(id);
  }

  async aggregate(query: api.AggregateQuery): Promise<api.AggregateAnswer> {
    const params: unknown[] = [];
    const plan = triage.aggregatePlan(query, (v) => (params.push(v), '?'));
    const rows = this.db()
      .prepare(
        `SELECT (time_ms - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS b, service, detector, CAST(score * ${triage.SCORE_BINS} AS INTEGER) AS bin,
         count(*) AS n, max(score) AS mx FROM anomalies${plan.where} GROUP BY b, service, detector, bin`,
      )
      .all(plan.fromMs, plan.stepMs, ...params) as triage.HistogramRow[];
    return triage.bucketsOf(plan, rows);
  }

  async insertSuppression(s: api.Suppression): Promise<void> {
    this.db()
      .prepare(`INSERT INTO suppressions (${triage.SUPPRESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(...triage.suppressionParams(s));
  }

  async listSuppressions(): Promise<api.Suppression[]> {
    const rows = this.db()
      .prepare(`SELECT ${triage.SUPPRESSION_COLUMNS} FROM suppressions ORDER BY created_ms DESC, id`)
      .all() as triage.SuppressionRow[];
    return rows.map(triage.suppressionFromRow);
  }

  async deleteSuppression(id: string): Promise<boolean> {
    return this.db().prepare('DELETE FROM suppressions WHERE id = ?').run(id).changes > 0;
  }

  async prune(beforeMs: number): Promise<number> {
    const db = this.db();
    return db
      .transaction(() => {
        let n = db
          .prepare('DELETE FROM incident_anomalies WHERE incident_id IN (SELECT id FROM incidents WHERE last_ms < ?)')
          .run(beforeMs).changes;
        n += db.prepare('DELETE FROM incidents WHERE last_ms < ?').run(beforeMs).changes;
        n += db
          .prepare('DELETE FROM suppressions WHERE expires_ms IS NOT NULL AND expires_ms < ?')
          .run(beforeMs).changes;
        return n;
      })
      .immediate();
  }
}
