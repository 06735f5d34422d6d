import type { LogsData, LogRecord } from '../../src/otlp/types';
import { logRecordOf } from '../../src/otlp/log-record';

const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

/** Every field of the logs model set at least once, with awkward values (max/negative ints, unicode, NaN-free doubles). */
export function sampleLogsData(): LogsData {
  const full: LogRecord = {
    timeUnixNano: 1_700_000_000_123_456_789n,
    observedTimeUnixNano: 18_446_744_073_709_551_615n, // max fixed64
    severityNumber: 17,
    severityText: 'ERROR',
    body: {
      kvlistValue: {
        values: [
          { key: 'msg', value: { stringValue: 'disk 🔥 full — naïve' } },
          { key: 'n', value: { intValue: -9_223_372_036_854_775_808n } },
          { key: 'big', value: { intValue: 9_223_372_036_854_775_807n } },
          { key: 'ratio', value: { doubleValue: -0.125 } },
          { key: 'ok', value: { boolValue: false } },
          { key: 'raw', value: { bytesValue: bytes('00ff10') } },
          { key: 'list', value: { arrayValue: { values: [{ stringValue: '' }, { intValue: 0n }, {}] } } },
          { key: '', value: { kvlistValue: { values: [] } } },
        ],
      },
    },
    attributes: [
      { key: 'http.status_code', value: { intValue: 503n } },
      { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }] } } },
      { key: 'empty', value: {} },
    ],
    droppedAttributesCount: 3,
    flags: 0x01,
    traceId: bytes('5b8efff798038103d269b633813fc60c'),
    spanId: bytes('eee19b7ec3c1b174'),
    eventName: 'disk.full',
  };
  const minimal: LogRecord = logRecordOf({ observedTimeUnixNano: 1n });
  const plain: LogRecord = { ...minimal, severityNumber: 9, severityText: 'INFO', body: { stringValue: 'hello' } };
  // normalise() deep-copies: records used twice above become independent objects (stages mutate them).
  return normalise({
    resourceLogs: [
      {
        resource: {
          attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }],
          droppedAttributesCount: 1,
        },
        scopeLogs: [
          {
            scope: {
              name: 'app.logger',
              version: '1.2.3',
              attributes: [{ key: 'scope.k', value: { doubleValue: 1.5 } }],
              droppedAttributesCount: 2,
            },
            logRecords: [full, plain, minimal],
            schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
          },
          { logRecords: [plain], schemaUrl: '' },
        ],
        schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
      },
      {
        scopeLogs: [
          {
            scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 },
            logRecords: [minimal],
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  });
}

/** Normalise byte fields to plain Uint8Array copies so deep equality ignores Buffer vs Uint8Array views. */
export function normalise<T>(x: T): T {
  if (x instanceof Uint8Array) return new Uint8Array(x) as T;
  if (Array.isArray(x)) return x.map(normalise) as T;
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = normalise(v);
    return out as T;
  }
  return x;
}

export function countRecords(d: LogsData): number {
  let n = 0;
  for (const rl of d.resourceLogs) for (const sl of rl.scopeLogs) n += sl.logRecords.length;
  return n;
}
