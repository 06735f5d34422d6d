import type { AnomalyDetail, AnomalyPage, AnomalyQuery } from '@anomalog/shared';

/** An anomaly as recorded by the detect stage, with its explanation and session context. */
export type AnomalyRecord = AnomalyDetail;

/** The lines after one stored anomaly, oldest first. */
export interface AnomalyContextAfter {
  id: string;
  lines: AnomalyDetail['context'];
}

/** What the detect stage's queue needs: somewhere to write the anomalies it found, and the lines after them. */
export interface AnomalyWriter {
  /**
   * Insert a batch in one transaction; an id already stored is skipped (replays after a retry are
   * harmless). Context is cut to `retention.contextLines` lines nearest the anomaly; NUL and lone
   * surrogates become U+FFFD; a record no backend can store (time not ISO, score not finite) is left
   * out and logged. A full disk does not throw: the oldest anomalies (at least as many as the batch)
   * are trimmed and the batch retried once, else the batch is dropped, logged and counted in
   * status(). Returns how many rows were inserted.
   */
  insertAnomalies(anomalies: readonly AnomalyRecord[]): Promise<number>;
  /**
   * Set the lines after stored anomalies (their `contextAfter`), cut to `retention.contextLinesAfter`
   * lines and cleaned like the lines before; an id not stored is skipped. Returns how many changed.
   */
  setAnomalyContextAfter(entries: readonly AnomalyContextAfter[]): Promise<number>;
}

/** Anomalies with their record, context and explanation (SQLite `sqlite/anomalies.ts`, PostgreSQL `postgres/anomalies.ts`). */
export interface AnomalyStore extends AnomalyWriter {
  /**
   * Both time bounds are inclusive. Throws StoreQueryError for a `from`/`to` that is neither ISO time
   * nor epoch ms.
   */
  queryAnomalies(query: AnomalyQuery): Promise<AnomalyPage>;
  getAnomaly(id: string): Promise<AnomalyRecord | undefined>;
  /** Mark anomalies suppressed (feedback); returns how many changed. An empty filter throws. */
  suppressAnomalies(filter: { id?: string; service?: string; templateId?: string }): Promise<number>;
}
