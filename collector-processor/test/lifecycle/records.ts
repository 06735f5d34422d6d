import { newBatch, type LogBatch } from '../../src/chain/stage';
import type { KeyValue, LogRecord, LogsData } from '../../src/otlp/types';
import { logRecordOf } from '../../src/otlp/log-record';

/** A web service's normal traffic: a few request templates, varying ids and durations (seeded). */
export function normalLines(n: number, seed = 1): string[] {
  let s = seed;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = Math.floor(rand() * 1e6);
    const ms = Math.floor(rand() * 200);
    const k = rand();
    if (k < 0.5) out.push(`GET /api/items/${id} 200 in ${ms} ms`);
    else if (k < 0.8) out.push(`POST /api/orders/${id} 201 in ${ms} ms`);
    else if (k < 0.97) out.push(`cache hit for key item-${id}`);
    else out.push(`slow query on table orders took ${ms} ms`);
  }
  return out;
}

function str(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}

export function logRecord(message: string, severityNumber = 9, attributes: KeyValue[] = []): LogRecord {
  return logRecordOf({
    timeUnixNano: BigInt(Date.now()) * 1_000_000n,
    severityNumber,
    severityText: severityNumber >= 17 ? 'ERROR' : 'INFO',
    body: { stringValue: message },
    attributes,
  });
}

export function batchOf(service: string, records: LogRecord[]): LogBatch {
  const data: LogsData = {
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', service)], droppedAttributesCount: 0 },
        scopeLogs: [{ logRecords: records, schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  };
  return newBatch(data, records.length, Date.now());
}
