import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database as Db } from 'better-sqlite3';
import type { AnomalyPage, AnomalyQuery } from '@anomalog/shared';
import type { AnomalyContextAfter, AnomalyRecord, AnomalyStore } from '../anomalies';
import { errorMessage } from '../errors';
import type { InsertResult } from '../full-disk';
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
import type { SqliteConnection } from './connection';

/** Rows deleted per transaction by retention, so the event loop (and the stream) never waits long. */
const DELETE_CHUNK = 5000;
const DAY_MS = 86_400_000;

function statements(db: Db) {
  const anomalyColumns = `${ANOMALY_COLUMNS}, detail`;
  return {
    insert: db.prepare(
      `INSERT OR IGNORE INTO anomalies (${anomalyColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    get: db.prepare(`SELECT ${anomalyColumns} FROM anomalies WHERE id = ?`),
    contextAfter: db.prepare("UPDATE anomalies SET detail = json_set(detail, '$.contextAfter', json(?)) WHERE id = ?"),
    count: db.prepare('SELECT count(*) AS n FROM anomalies'),
    deleteBefore: db.prepare(
      'DELETE FROM anomalies WHERE rowid IN (SELECT rowid FROM anomalies WHERE time_ms < ? LIMIT ?)',
    ),
    deleteOldest: db.prepare(
      'DELETE FROM anomalies WHERE rowid IN (SELECT rowid FROM anomalies ORDER BY time_ms ASC, id ASC LIMIT ?)',
    ),
  };
}

export class SqliteAnomalies implements AnomalyStore {
  private stmts!: ReturnType<typeof statements>;

  constructor(private readonly c: SqliteConnection) {}

  prepare(db: Db): void {
    this.stmts = statements(db);
  }

  async insertAnomalies(anomalies: readonly AnomalyRecord[]): Promise<number> {
    if (!anomalies.length) return 0;
    const rows = toInserts(anomalies, this.c.settings.retention.contextLines, this.c.logger);
    if (!rows.length) return 0;
    // Low disk space: the batch replaces as many of the oldest anomalies (low-space.ts).
    const keepSize = this.c.lowSpace.check();
    const insertAll = this.c.db.transaction((trimAtLeast: number): InsertResult => {
      const trimmed = trimAtLeast > 0 ? this.trimOldest(trimAtLeast) : 0;
      if (keepSize && !trimmed) this.stmts.deleteOldest.run(rows.length);
      let inserted = 0;
      for (const r of rows)
        inserted += this.stmts.insert.run(
          r.id,
          r.timeMs,
          r.service,
          r.templateId,
          r.template,
          r.message,
          r.score,
          r.detector,
          r.reason,
          r.sessionId,
          r.severityText,
          r.suppressed ? 1 : 0,
          r.detail,
        ).changes;
      return { inserted, trimmed };
    });
    const inserted = await this.c.guard.insert(rows.length, async (trimAtLeast) => insertAll.immediate(trimAtLeast));
    // Copy the WAL into the database now, so the next writes reuse the WAL file instead of growing it.
    if (keepSize) this.checkpoint();
    return inserted;
  }

  /** A passive checkpoint; failing (disk full, a reader) only means the WAL is reused later. */
  private checkpoint(): void {
    try {
      this.c.db.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      this.c.logger.debug({ err: errorMessage(err), file: this.c.file }, 'SQLite checkpoint failed');
    }
  }

  /** Make room on a full disk: delete the oldest tenth of the anomalies, or `atLeast` (freed pages are reused at once). */
  private trimOldest(atLeast: number): number {
    const { n } = this.stmts.count.get() as { n: number };
    return this.stmts.deleteOldest.run(Math.max(1, atLeast, Math.ceil(n / 10))).changes;
  }

  async queryAnomalies(query: AnomalyQuery): Promise<AnomalyPage> {
    const params: unknown[] = [];
    const { where, order } = anomalyFilter(query, (v) => (params.push(v), '?'));
    const { limit, offset } = pageOf(query);
    const total = (this.c.cached(`SELECT count(*) AS n FROM anomalies${where}`).get(...params) as { n: number }).n;
    const sql = `SELECT ${ANOMALY_COLUMNS} FROM anomalies${where}${order} LIMIT ? OFFSET ?`;
    const items = (this.c.cached(sql).all(...params, limit, offset) as AnomalyRow[]).map(fromRow);
    return { total, items };
  }

  async getAnomaly(id: string): Promise<AnomalyRecord | undefined> {
    const row = this.stmts.get.get(cleanText(id)) as AnomalyRow | undefined;
    return row ? fromDetailRow(row) : undefined;
  }

  async setAnomalyContextAfter(entries: readonly AnomalyContextAfter[]): Promise<number> {
    if (!entries.length) return 0;
    const keep = this.c.settings.retention.contextLinesAfter;
    const setAll = this.c.db.transaction(() => {
      let changed = 0;
      for (const e of entries) {
        const p = contextAfterParams(e, keep);
        changed += this.stmts.contextAfter.run(p.lines, p.id).changes;
      }
      return changed;
    });
    return this.c.write('lines after anomalies', () => setAll.immediate());
  }

  async suppressAnomalies(filter: { id?: string; service?: string; templateId?: string }): Promise<number> {
    const params: unknown[] = [];
    const where = suppressFilter(filter, (v) => (params.push(v), '?'));
    const sql = `UPDATE anomalies SET suppressed = 1 WHERE suppressed = 0 AND ${where}`;
    return this.c.write('suppression', () => this.c.cached(sql).run(...params).changes);
  }

  /**
   * Retention: anomalies older than `anomalyDays`, then the oldest beyond `maxAnomalies`, in chunks
   * with a turn of the event loop between them; returns rows deleted.
   */
  async prune(nowMs: number, anomalyDays: number, maxAnomalies: number): Promise<number> {
    let deleted = 0;
    const cutoff = nowMs - anomalyDays * DAY_MS;
    for (;;) {
      const n = this.stmts.deleteBefore.run(cutoff, DELETE_CHUNK).changes;
      deleted += n;
      if (n < DELETE_CHUNK) break;
      await yieldToLoop();
    }
    let excess = (this.stmts.count.get() as { n: number }).n - maxAnomalies;
    while (excess > 0) {
      const n = this.stmts.deleteOldest.run(Math.min(excess, DELETE_CHUNK)).changes;
      deleted += n;
      excess -= n;
      if (n === 0) break;
      await yieldToLoop();
    }
    return deleted;
  }
}
