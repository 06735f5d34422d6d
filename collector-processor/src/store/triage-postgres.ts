import { Pool, type PoolClient } from 'pg';
import type * as api from '@anomalog/shared';
import { ANOMALY_COLUMNS, fromRow, type AnomalyRow } from './rows';
import type { AnomalyRecord } from './store';
import type { TriageStore } from './triage';
import * as triage from './triage-rows';
import { rowId } from '../util/row-id';

/** The triage tables beside the Store's (idempotent; replicas starting together may both run it). */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS incidents (
    id TEXT PRIMARY KEY, service TEXT NOT NULL, group_key TEXT NOT NULL, template_id TEXT NOT NULL,
    template TEXT NOT NULL, session_id TEXT, first_ms BIGINT NOT NULL, last_ms BIGINT NOT NULL,
    count BIGINT NOT NULL, peak_score DOUBLE PRECISION NOT NULL, detectors TEXT NOT NULL, status TEXT NOT NULL,
    sample_message TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS incidents_key ON incidents (service, group_key, last_ms);
  CREATE INDEX IF NOT EXISTS incidents_last ON incidents (last_ms);
  CREATE TABLE IF NOT EXISTS incident_anomalies (anomaly_id TEXT PRIMARY KEY, incident_id TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS incident_anomalies_incident ON incident_anomalies (incident_id);
  CREATE TABLE IF NOT EXISTS suppressions (
    id TEXT PRIMARY KEY, service TEXT NOT NULL, template_id TEXT NOT NULL, template TEXT, detector TEXT,
    created_ms BIGINT NOT NULL, expires_ms BIGINT, comment TEXT, incident_id TEXT
  );
`;
/** pg_advisory_xact_lock key: one replica at a time groups a batch, so two never open the same incident twice. */
const LOCK_INCIDENTS = 0x616e6d6c0003n;

/** Triage on the PostgreSQL store's database, over a small pool of its own. */
export class PostgresTriageStore implements TriageStore {
  private pool: Pool | undefined;

  constructor(private readonly url: string) {}

  private get db(): Pool {
    if (!this.pool) throw new Error('PostgreSQL triage store is not open');
    return this.pool;
  }

  async open(): Promise<void> {
    const pool = new Pool({ connectionString: this.url, max: 2, application_name: 'anomalog-triage' });
    pool.on('error', () => undefined);
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [LOCK_INCIDENTS.toString()]);
      await client.query(SCHEMA);
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_INCIDENTS.toString()]);
    } finally {
      client.release();
    }
    this.pool = pool;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  private async transaction<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.db.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async recordIncidents(anomalies: readonly AnomalyRecord[], gapMs: number): Promise<void> {
    const runs = triage.incidentRuns(anomalies, gapMs);
    if (!runs.length) return;
    await this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_INCIDENTS.toString()]);
      for (const run of runs) {
        const { rows } = await c.query<{ id: string; detectors: string }>(
          `SELECT id, detectors FROM incidents WHERE service = $1 AND group_key = $2
           AND status IN ('open', 'acknowledged') AND last_ms >= $3 ORDER BY last_ms DESC LIMIT 1`,
          [run.service, run.groupKey, run.firstMs - gapMs],
        );
        const found = rows[0];
        const id = found?.id ?? rowId();
        const linked = await c.query(
          `INSERT INTO incident_anomalies (anomaly_id, incident_id) SELECT unnest($1::text[]), $2
           ON CONFLICT (anomaly_id) DO NOTHING`,
          [run.anomalyIds, id],
        );
        const added = linked.rowCount ?? 0;
        if (added === 0) continue;
        if (found)
          await c.query(
            `UPDATE incidents SET first_ms = least(first_ms, $1), last_ms = greatest(last_ms, $2), count = count + $3,
             peak_score = greatest(peak_score, $4), detectors = $5 WHERE id = $6`,
            triage.incidentUpdateParams(id, run, added, found.detectors),
          );
        else
          await c.query(
            `INSERT INTO incidents (${triage.INCIDENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12)`,
            triage.newIncidentParams(id, run, added),
          );
      }
    });
  }

  async listIncidents(query: api.IncidentQuery): Promise<api.IncidentPage> {
    const params: unknown[] = [];
    const where = triage.incidentFilter(query, (v) => (params.push(v), `$${params.length}`));
    const total = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM incidents${where}`, params);
    const n = params.length;
    const { rows } = await this.db.query<triage.IncidentRow>(
      `SELECT ${triage.INCIDENT_COLUMNS} FROM incidents${where} ORDER BY last_ms DESC, id LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, query.limit ?? 50, query.offset ?? 0],
    );
    return { total: Number(total.rows[0].n), items: rows.map(triage.incidentFromRow) };
  }

  async getIncident(id: string): Promise<api.Incident | undefined> {
    const { rows } = await this.db.query<triage.IncidentRow>(
      `SELECT ${triage.INCIDENT_COLUMNS} FROM incidents WHERE id = $1`,
      [id],
    );
    return rows[0] ? triage.incidentFromRow(rows[0]) : undefined;
  }

  async incidentRecords(id: string, limit: number): Promise<api.Anomaly[]> {
    const cols = ANOMALY_COLUMNS.split(', ')
      .map((c) => `a.${c}`)
      .join(', ');
    const { rows } = await this.db.query<AnomalyRow>(
      `SELECT ${cols} FROM incident_anomalies l JOIN anomalies a ON a.id = l.anomaly_id
       WHERE l.incident_id = $1 ORDER BY a.time_ms DESC, a.id LIMIT $2`,
      [id, limit],
    );
    return rows.map(fromRow);
  }

  async setIncidentStatus(id: string, status: api.IncidentStatus): Promise<api.Incident | undefined> {
    await this.db.query('UPDATE incidents SET status = $1 WHERE id = $2', [status, id]);
    return this.getIncident(id);
  }

  async aggregate(query: api.AggregateQuery): Promise<api.AggregateAnswer> {
    const params: unknown[] = [];
    // $1 and $2 are the range start and the step; the filter's values follow.
    const plan = triage.aggregatePlan(query, (v) => (params.push(v), `$${params.length + 2}`));
    const { rows } = await this.db.query<triage.HistogramRow>(
      `SELECT (time_ms - $1::bigint) / $2::bigint AS b, service, detector, floor(score * ${triage.SCORE_BINS})::int AS bin,
       count(*) AS n, max(score) AS mx FROM anomalies${plan.where} GROUP BY b, service, detector, bin`,
      [plan.fromMs, plan.stepMs, ...params],
    );
    return triage.bucketsOf(plan, rows);
  }

  async insertSuppression(s: api.Suppression): Promise<void> {
    await this.db.query(
      `INSERT INTO suppressions (${triage.SUPPRESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      triage.suppressionParams(s),
    );
  }

  async listSuppressions(): Promise<api.Suppression[]> {
    const { rows } = await this.db.query<triage.SuppressionRow>(
      `SELECT ${triage.SUPPRESSION_COLUMNS} FROM suppressions ORDER BY created_ms DESC, id`,
    );
    return rows.map(triage.suppressionFromRow);
  }

  async deleteSuppression(id: string): Promise<boolean> {
    const r = await this.db.query('DELETE FROM suppressions WHERE id = $1', [id]);
    return (r.rowCount ?? 0) > 0;
  }

  async prune(beforeMs: number): Promise<number> {
    return this.transaction(async (c) => {
      let n =
        (
          await c.query(
            'DELETE FROM incident_anomalies WHERE incident_id IN (SELECT id FROM incidents WHERE last_ms < $1)',
            [beforeMs],
          )
        ).rowCount ?? 0;
      n += (await c.query('DELETE FROM incidents WHERE last_ms < $1', [beforeMs])).rowCount ?? 0;
      n +=
        (await c.query('DELETE FROM suppressions WHERE expires_ms IS NOT NULL AND expires_ms < $1', [beforeMs]))
          .rowCount ?? 0;
      return n;
    });
  }
}
