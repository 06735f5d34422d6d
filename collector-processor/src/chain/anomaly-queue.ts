/**
 * The anomalies on their way to the store, written one batch after another. Bounded in count and in
 * (estimated) bytes: past either bound new anomalies are not stored (counted in
 * `anomalog_anomalies_not_stored_total{reason="queue_full"}`, logged once per episode), so a store
 * that is down, or slower than an anomaly storm (every record of a flood of new templates is one),
 * cannot grow the heap without bound. The records themselves always go downstream annotated.
 */
import type { AnomalyDetail } from '@anomalog/shared';
import type { AfterLines } from './after-context';
import type { AnomalyWriter } from '../store/anomalies';
import type { DetectionMetrics } from '../telemetry/detection-metrics';
import type { Logger } from '../telemetry/logger';

export interface AnomalyQueueOptions {
  store: AnomalyWriter;
  logger: Logger;
  metrics?: DetectionMetrics;
  /** Anomalies waiting at most. Default 50,000. */
  maxPendingAnomalies?: number;
  /** Their estimated heap bytes at most (anomalyBytes). Default 64 MiB. */
  maxPendingAnomalyBytes?: number;
  /** Groups each stored batch into incidents, after the write and off the record path. */
  incidents?: IncidentGrouping;
}

export interface IncidentGrouping {
  record(anomalies: readonly AnomalyDetail[]): Promise<void>;
}

export interface AnomalyQueue {
  push(anomalies: AnomalyDetail[]): void;
  /**
   * The lines after anomalies pushed earlier, written after them (same queue, so never before the
   * insert); left out when the queue is full.
   */
  pushAfter(done: AfterLines[]): void;
  /** Resolves when every anomaly accepted so far is written (or failed). */
  drained(): Promise<void>;
}

/** Object headers and short fields of one anomaly and of one context line (measured, rounded up). */
const ANOMALY_OVERHEAD = 1024;
const CONTEXT_LINE_OVERHEAD = 160;

/** Estimated heap bytes of one anomaly: its strings (2 bytes a char at most) and objects. */
export function anomalyBytes(a: AnomalyDetail): number {
  let n = ANOMALY_OVERHEAD + 2 * (a.message.length + a.template.length + a.reason.length);
  for (const line of a.context) n += CONTEXT_LINE_OVERHEAD + 2 * line.message.length;
  return n;
}

export function anomalyQueue(o: AnomalyQueueOptions): AnomalyQueue {
  const maxCount = o.maxPendingAnomalies ?? 50_000;
  const maxBytes = o.maxPendingAnomalyBytes ?? 64 * 1024 * 1024;
  let writing: Promise<void> = Promise.resolve();
  let pending = 0;
  let pendingBytes = 0;
  let overflowing = false;
  const notStored = (reason: string, n: number): void => o.metrics?.anomaliesNotStored.inc({ reason }, n);
  const save = async (anomalies: AnomalyDetail[], bytes: number): Promise<void> => {
    try {
      await o.store.insertAnomalies(anomalies);
      await o.incidents?.record(anomalies).catch((err: Error) => {
        o.logger.error({ err: err.message, anomalies: anomalies.length }, 'anomalies not grouped into incidents');
      });
    } catch (err) {
      // The records themselves went downstream annotated; only the stored copy is lost.
      o.logger.error({ err: (err as Error).message, anomalies: anomalies.length }, 'anomalies not stored');
      notStored('write_failed', anomalies.length);
    } finally {
      pending -= anomalies.length;
      pendingBytes -= bytes;
    }
  };
  const saveAfter = async (done: AfterLines[], bytes: number): Promise<void> => {
    try {
      await o.store.setAnomalyContextAfter(done);
    } catch (err) {
      o.logger.error({ err: (err as Error).message, anomalies: done.length }, 'lines after anomalies not stored');
    } finally {
      pendingBytes -= bytes;
    }
  };
  return {
    pushAfter(done) {
      let bytes = 0;
      for (const d of done) for (const line of d.lines) bytes += CONTEXT_LINE_OVERHEAD + 2 * line.message.length;
      // Only the lines after are lost (their anomalies are stored or counted): logged with the overflow.
      if (pending > 0 && pendingBytes + bytes > maxBytes) return;
      pendingBytes += bytes;
      writing = writing.then(() => saveAfter(done, bytes));
    },
    push(anomalies) {
      let bytes = 0;
      for (const a of anomalies) bytes += anomalyBytes(a);
      if (pending + anomalies.length > maxCount || (pending > 0 && pendingBytes + bytes > maxBytes)) {
        // Logged once per overflow episode, not per batch: a down store must not flood the log.
        if (!overflowing)
          o.logger.error(
            { pending, pendingBytes, maxCount, maxBytes },
            'anomaly store queue full: new anomalies not stored',
          );
        overflowing = true;
        notStored('queue_full', anomalies.length);
        return;
      }
      overflowing = false;
      pending += anomalies.length;
      pendingBytes += bytes;
      writing = writing.then(() => save(anomalies, bytes));
    },
    drained: () => writing,
  };
}
