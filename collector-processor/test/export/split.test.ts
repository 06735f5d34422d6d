/** Splitting outgoing requests on the wire (export/split.ts) and the exporter that keeps them under a size. */
import { decodeLogsRequest } from '../../src/otlp/logs-decode';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { logRecordOf } from '../../src/otlp/log-record';
import type { LogsData } from '../../src/otlp/types';
import { ProcessingError } from '../../src/otlp/errors';
import { DOWNSTREAM_TOO_LARGE, type LogsExporter } from '../../src/export/exporter';
import { createSizedExporter } from '../../src/export/sized-exporter';
import { splitLogsRequest } from '../../src/export/split';

/** Two services, two scopes each, records with bodies of `size(i)` bytes; `seq` attribute numbers them. */
function request(records: number, size: (i: number) => number): LogsData {
  let seq = 0;
  const scope = (name: string) => ({
    scope: { name, version: '1', attributes: [], droppedAttributesCount: 0 },
    schemaUrl: `https://example.com/${name}`,
    logRecords: Array.from({ length: records }, () => {
      const i = seq++;
      return logRecordOf({
        body: { stringValue: 'x'.repeat(size(i)) },
        attributes: [{ key: 'seq', value: { intValue: BigInt(i) } }],
      });
    }),
  });
  const resource = (service: string) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }], droppedAttributesCount: 0 },
    schemaUrl: 'https://example.com/r',
    scopeLogs: [scope(`${service}-a`), scope(`${service}-b`)],
  });
  return { resourceLogs: [resource('api'), resource('db')] };
}

/** Each record as (service, scope, seq), in order. */
function flatten(data: LogsData): string[] {
  return data.resourceLogs.flatMap((rl) =>
    rl.scopeLogs.flatMap((sl) =>
      sl.logRecords.map(
        (r) =>
          `${rl.resource?.attributes[0].value.stringValue}/${sl.scope?.name}/${sl.schemaUrl}/${r.attributes[0].value.intValue}`,
      ),
    ),
  );
}

test('splits into requests under the limit holding every record once, in order, under its resource and scope', () => {
  const data = request(50, (i) => 100 + (i % 7) * 40);
  const buf = encodeLogsRequest(data);
  const max = 1500;
  const split = splitLogsRequest(buf, max, 'drop');
  expect(split.tooLarge).toBe(0);
  expect(split.parts.length).toBeGreaterThan(buf.length / max);
  for (const p of split.parts) {
    expect(p.bytes.length).toBeLessThanOrEqual(max);
    expect(decodeLogsRequest(p.bytes).recordCount).toBe(p.records);
  }
  const parts = split.parts.map((p) => decodeLogsRequest(p.bytes).data);
  expect(parts.flatMap(flatten)).toEqual(flatten(data));
  expect(parts.every((d) => d.resourceLogs.every((rl) => rl.schemaUrl === 'https://example.com/r'))).toBe(true);
});

test('drops, and counts, only the records too large on their own', () => {
  const data = request(10, (i) => (i === 3 || i === 27 ? 5000 : 50));
  const split = splitLogsRequest(encodeLogsRequest(data), 1000, 'drop');
  expect(split.tooLarge).toBe(2);
  const seqs = split.parts.flatMap((p) => flatten(decodeLogsRequest(p.bytes).data)).map((s) => s.split('/').pop());
  expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => String(i)).filter((s) => s !== '3' && s !== '27'));
});

/** A downstream that refuses requests over `limit` bytes the way a Collector does, and keeps the rest. */
function downstream(limit: number) {
  const got: Buffer[] = [];
  const exporter: LogsExporter = {
    target: 'test',
    export: (req) => {
      if (req.length > limit)
        return Promise.reject(new ProcessingError('downstream-rejected', 'larger than max', DOWNSTREAM_TOO_LARGE));
      got.push(req);
      return Promise.resolve({});
    },
    close: () => Promise.resolve(),
  };
  return { exporter, got };
}

test('a downstream limit under the configured one: halves until it fits, drops only a record too large alone', async () => {
  const data = request(40, (i) => (i === 100 ? 9000 : 200));
  const buf = encodeLogsRequest(data);
  const { exporter, got } = downstream(4000);
  const res = await createSizedExporter(exporter, 1 << 20).export(buf);
  expect(res.tooLargeRecords).toBe(1);
  expect(res.partialSuccess?.rejectedLogRecords).toBe(1n);
  expect(got.every((b) => b.length <= 4000)).toBe(true);
  const expected = flatten(data).filter((s) => !s.endsWith('/100'));
  expect(got.flatMap((b) => flatten(decodeLogsRequest(b).data))).toEqual(expected);
});

test('requests within the limit go as they are; other downstream errors are passed up', async () => {
  const buf = encodeLogsRequest(request(2, () => 10));
  const { exporter, got } = downstream(1 << 20);
  expect(await createSizedExporter(exporter, 1 << 20).export(buf)).toEqual({});
  expect(got).toEqual([buf]);
  const failing: LogsExporter = {
    target: 'test',
    export: () => Promise.reject(new ProcessingError('downstream-unavailable', 'down', 'downstream-unavailable')),
    close: () => Promise.resolve(),
  };
  await expect(createSizedExporter(failing, buf.length - 1).export(buf)).rejects.toMatchObject({
    refusal: 'downstream-unavailable',
  });
});
