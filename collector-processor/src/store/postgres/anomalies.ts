import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import type { AnomalyPage, AnomalyQuery } from '@anomalog/shared';
import type { AnomalyContextAfter, AnomalyRecord, AnomalyStore } from '../anomalies';
import {
  ANOMALY_COLUMNS,
  anomalyFilter,
  contextAfterParams,
  fromDetailRow,
  fromRow,
  pageOf,
  suppressFilter,
  toInserts,
  type AnomalyRow,
} from '../rows';
import { cleanText } from '../sanitize';
import type { PostgresConnection } from './connection';

const DELETE_CHUNK = 5000;
const DAY_MS = 86_400_000;

export class PostgresAnomalies implements AnomalyStore {
  constructor(private readonly c: PostgresConnection) {}

  async insertAnomalies(anomalies: readonly AnomalyRecord[]): Promise<number> {
    if (!anomalies.length) return 0;
    const rows = toInserts(anomalies, this.c.settings.retention.contextLines, this.c.logger);
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
    return this.c.guard.insert(rows.length, async (trimAtLeast) => {
      if (trimAtLeast === 0) return { inserted: (await this.c.query(sql, columns)).rowCount ?? 0, trimmed: 0 };
      return this.c.transaction(async (c) => {
        const trimmed = await trimOldest(c, trimAtLeast);
        return { inserted: (await c.query(sql, columns)).rowCount ?? 0, trimmed };
      });
    });
  }

  async queryAnomalies(query: AnomalyQuery): Promise<AnomalyPage> {
    const params: unknown[] = [];
    const { where, order } = anomalyFilter(query, (v) => `$${params.push(v)}`);
    const { limit, offset } = pageOf(query);
    const count = await this.c.query<{ n: number }>(`SELECT count(*)::int AS n FROM anomalies${where}`, params);
    const page = await this.c.query<AnomalyRow>(
      `SELECT ${ANOMALY_COLUMNS} FROM anomalies${where}${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return { total: count.rows[0].n, items: page.rows.map(fromRow) };
  }

  async getAnomaly(id: string): Promise<AnomalyRecord | undefined> {
    const { rows } = await this.c.query<AnomalyRow>(`SELECT ${ANOMALY_COLUMNS}, detail FROM anomalies WHERE id = $1`, [
      cleanText(id),
    ]);
    return rows[0] ? fromDetailRow(rows[0]) : undefined;
  }

  async setAnomalyContextAfter(entries: readonly AnomalyContextAfter[]): Promise<number> {
    if (!entries.length) return 0;
    const keep = this.c.settings.retention.contextLinesAfter;
    const params = entries.map((e) => contextAfterParams(e, keep));
    // One statement for the batch; setting the same lines twice (a retry) changes nothing.
    const res = await this.c.write('lines after anomalies', () =>
      this.c.query(
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
    const res = await this.c.write('suppression', () =>
      this.c.query(`UPDATE anomalies SET suppressed = true WHERE NOT suppressed AND ${where}`, params),
    );
    return res.rowCount ?? 0;
  }

  /** Retention on `c`: anomalies older than `anomalyDays`, then the oldest beyond `maxAnomalies`; returns rows deleted. */
  async prune(c: PoolClient, nowMs: number, anomalyDays: number, maxAnomalies: number): Promise<number> {
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
    return deleted;
  }
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
