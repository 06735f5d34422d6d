/**
 * Record and batch builders for benchmarks that feed the annotation chain in process (no OTLP wire):
 * one resource per service, every record field at its proto3 default unless given.
 */
import { logRecordOf, newBatch, type LogBatch, type LogRecord } from '../../collector-processor/src';

/** OTel SeverityNumber of the level words a Collector's parser maps (the first of each range). */
const LEVELS: Record<string, number> = { WARN: 13, ERROR: 17, FATAL: 21 };

/**
 * A record of `line` at `timeMs`; a WARN, ERROR or FATAL word in the line sets its severity as a
 * Collector's severity parser would (INFO otherwise), attributes as given.
 */
export function lineRecord(line: string, timeMs: number, attributes: Record<string, string> = {}): LogRecord {
  const t = BigInt(Math.round(timeMs)) * 1_000_000n;
  const level = / (WARN|ERROR|FATAL) /.exec(line)?.[1];
  const severityNumber = level ? LEVELS[level] : 9;
  return logRecordOf({
    timeUnixNano: t,
    observedTimeUnixNano: t,
    severityNumber,
    body: { stringValue: line },
    attributes: Object.entries(attributes).map(([key, v]) => ({ key, value: { stringValue: v } })),
  });
}

/** One request of one service's records. */
export function serviceBatch(service: string, records: LogRecord[]): LogBatch {
  const resource = {
    attributes: [{ key: 'service.name', value: { stringValue: service } }],
    droppedAttributesCount: 0,
  };
  return newBatch(
    { resourceLogs: [{ resource, scopeLogs: [{ logRecords: records, schemaUrl: '' }], schemaUrl: '' }] },
    records.length,
    Date.now(),
  );
}

/** `081109 203518 …`: an HDFS_v1 line's time in ms (the log has no year: 2008, as in HDFS_v1). */
export function hdfsTimeMs(line: string): number {
  const [d, t] = line.split(' ', 2);
  return Date.UTC(2008, +d.slice(2, 4) - 1, +d.slice(4, 6), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6));
}
