/**
 * Log files as OTLP batches, so batch scoring runs the same stages as the stream: raw lines split
 * by a loghub-style line format (Content is the message, Level the severity), or JSON lines whose
 * message/level/service fields are read like structured OTLP bodies.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { KeyValue, LogRecord, LogsData } from '../otlp/types';
import { compileLineFormat, type LineFormat } from '../parse/line-format';
import { logRecordOf } from '../otlp/log-record';

export interface SourceOptions {
  /** loghub notation, e.g. `<Date> <Time> <Pid> <Level> <Component>: <Content>`; absent: the whole line is the message. */
  format?: string;
  json?: boolean;
  service: string;
  batchSize: number;
  /** Stop after this many lines. */
  limit?: number;
}

export interface SourceBatch {
  data: LogsData;
  /** The input lines of the batch, in record order. */
  lines: string[];
}

const LEVELS: Record<string, number> = {
  TRACE: 1,
  DEBUG: 5,
  INFO: 9,
  NOTICE: 10,
  WARN: 13,
  WARNING: 13,
  ERROR: 17,
  SEVERE: 17,
  FATAL: 21,
  CRITICAL: 21,
};

export function severityOf(level: string | undefined): number {
  return level ? (LEVELS[level.trim().toUpperCase()] ?? 0) : 0;
}

export async function* readBatches(file: string, o: SourceOptions): AsyncGenerator<SourceBatch> {
  const format = o.format ? compileLineFormat(o.format) : undefined;
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lines: string[] = [];
  let records: LogRecord[] = [];
  let seen = 0;
  for await (const line of rl) {
    if (o.limit !== undefined && seen >= o.limit) break;
    seen++;
    lines.push(line);
    records.push(o.json ? jsonRecord(line) : textRecord(line, format));
    if (records.length >= o.batchSize) {
      yield { data: wrap(records, o.service), lines };
      lines = [];
      records = [];
    }
  }
  if (records.length) yield { data: wrap(records, o.service), lines };
}

function wrap(logRecords: LogRecord[], service: string): LogsData {
  const resource = { attributes: [str('service.name', service)], droppedAttributesCount: 0 };
  return { resourceLogs: [{ resource, scopeLogs: [{ logRecords, schemaUrl: '' }], schemaUrl: '' }] };
}

function textRecord(line: string, format: LineFormat | undefined): LogRecord {
  const fields = format?.split(line);
  const message = fields ? (fields.Content ?? line) : line;
  return record({ stringValue: message }, severityOf(fields?.Level), fields?.Level ?? '');
}

/** A JSON line becomes a kvlist body (the parse stage picks its message field); bad JSON is a plain message. */
function jsonRecord(line: string): LogRecord {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return record({ stringValue: line }, 0, '');
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return record({ stringValue: line }, 0, '');
  const o = obj as Record<string, unknown>;
  const values: KeyValue[] = Object.entries(o)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => str(k, String(v)));
  const level = [o.level, o.severity, o.lvl].find((v) => typeof v === 'string') as string | undefined;
  return record({ kvlistValue: { values } }, severityOf(level), level ?? '');
}

function record(body: LogRecord['body'], severityNumber: number, severityText: string): LogRecord {
  return logRecordOf({ severityNumber, severityText, body });
}

function str(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}
