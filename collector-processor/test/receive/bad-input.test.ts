/**
 * Bad input gets a clear non-retryable answer naming the problem (gRPC INVALID_ARGUMENT, HTTP
 * 400/415), is counted by reason, and the processor keeps serving everyone else.
 */
import * as grpc from '@grpc/grpc-js';
import { gzipSync } from 'node:zlib';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { decodeStatus } from '../../src/otlp/service';
import type { AnyValue, LogsData } from '../../src/otlp/types';
import type { RunningProcessor } from '../../src/processor';
import { sampleLogsData } from '../processor/fixtures';
import { Downstream, grpcExport, httpGet, httpPost, start } from '../processor/helpers';

jest.setTimeout(30000);
const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };

function withBody(body: AnyValue): LogsData {
  const d = sampleLogsData();
  d.resourceLogs[0].scopeLogs[0].logRecords[0].body = body;
  return d;
}

function nested(depth: number): AnyValue {
  let v: AnyValue = { stringValue: 'leaf' };
  for (let i = 0; i < depth; i++) v = { kvlistValue: { values: [{ key: 'k', value: v }] } };
  return v;
}

/** Protobuf bytes whose one string is invalid UTF-8 (a lone continuation byte). */
function invalidUtf8Proto(): Buffer {
  const bytes = Buffer.from(encodeLogsRequest(withBody({ stringValue: 'MARK' })));
  const at = bytes.indexOf(Buffer.from('MARK'));
  bytes[at] = 0x80;
  return bytes;
}

const MiB = 1024 * 1024;

describe('bad input', () => {
  let downstream: Downstream;
  let proc: RunningProcessor;
  const good = encodeLogsRequest(sampleLogsData());

  beforeAll(async () => {
    downstream = new Downstream();
    proc = await start({ exporter: { endpoint: await downstream.start() }, receiver: { maxRecvMsgSizeMiB: 1 } });
  });
  afterAll(async () => {
    await proc.close();
    await downstream.stop();
  });
  afterEach(async () => {
    // Whatever came before, the next good request goes through on both protocols.
    expect((await grpcExport(proc.grpcAddress, good)).code).toBe(0);
    expect((await httpPost(proc.httpAddress, '/v1/logs', good, PROTO)).status).toBe(200);
  });

  const protoCases: [string, Buffer, RegExp][] = [
    ['malformed protobuf', Buffer.from([0x0a, 0x05, 0x01]), /past the end|truncated/],
    ['invalid UTF-8', invalidUtf8Proto(), /invalid UTF-8/],
    ['deep nesting', encodeLogsRequest(withBody(nested(40))), /nested deeper than 32 levels/],
    ['empty request', Buffer.alloc(0), /no log records/],
    [
      'request with resources but no records',
      encodeLogsRequest({ resourceLogs: [{ scopeLogs: [], schemaUrl: '' }] }),
      /no log records/,
    ],
  ];

  it.each(protoCases)('gRPC: %s → INVALID_ARGUMENT', async (_name, body, message) => {
    const a = await grpcExport(proc.grpcAddress, body);
    expect(a.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(a.details).toMatch(message);
  });

  it.each(protoCases)('HTTP protobuf: %s → 400 with a google.rpc.Status', async (_name, body, message) => {
    const r = await httpPost(proc.httpAddress, '/v1/logs', body, PROTO);
    expect(r.status).toBe(400);
    const status = decodeStatus(r.body);
    expect(status.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(status.message).toMatch(message);
  });

  it.each([
    ['malformed JSON', Buffer.from('{"resourceLogs": [{"scopeLogs": '), /malformed JSON/],
    [
      'wrong JSON types',
      Buffer.from('{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"severityNumber": "high"}]}]}]}'),
      /severityNumber/,
    ],
    ['invalid UTF-8 in JSON', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), /not valid UTF-8/],
    ['empty JSON request', Buffer.from('{}'), /no log records/],
    [
      'timeUnixNano ≥ 2^64 as a JSON number (not wrapped)',
      Buffer.from('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":1e300}]}]}]}'),
      /timeUnixNano.*unsigned 64-bit/,
    ],
    [
      'timeUnixNano = 2^64 as a string',
      Buffer.from('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"18446744073709551616"}]}]}]}'),
      /timeUnixNano.*unsigned 64-bit/,
    ],
  ])('HTTP JSON: %s → 400 with a JSON Status', async (_name, body, message) => {
    const r = await httpPost(proc.httpAddress, '/v1/logs', body, JSON_CT);
    expect(r.status).toBe(400);
    const status = JSON.parse(r.body.toString());
    expect(status.code).toBe(3);
    expect(status.message).toMatch(message);
  });

  it('HTTP: wrong content type → 415', async () => {
    const r = await httpPost(proc.httpAddress, '/v1/logs', good, { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.body.toString()).toMatch(/unsupported content type "text\/plain"/);
  });

  it('HTTP: unknown content encoding → 400', async () => {
    const r = await httpPost(proc.httpAddress, '/v1/logs', good, { ...PROTO, 'content-encoding': 'br' });
    expect(r.status).toBe(400);
    expect(decodeStatus(r.body).message).toMatch(/unsupported content encoding "br"/);
  });

  it('HTTP: malformed gzip → 400', async () => {
    const r = await httpPost(proc.httpAddress, '/v1/logs', Buffer.from('not gzip'), {
      ...PROTO,
      'content-encoding': 'gzip',
    });
    expect(r.status).toBe(400);
    expect(decodeStatus(r.body).message).toMatch(/malformed gzip/);
  });

  it('HTTP: wrong path → 404, wrong method → 405', async () => {
    expect((await httpPost(proc.httpAddress, '/v1/traces', good, PROTO)).status).toBe(404);
    expect((await httpGet(proc.httpAddress, '/v1/logs')).status).toBe(405);
  });

  const huge = encodeLogsRequest(withBody({ stringValue: 'x'.repeat(Math.ceil(1.2 * MiB)) }));

  it('oversize (a huge attribute value) over gRPC → INVALID_ARGUMENT, naming size and limit', async () => {
    const a = await grpcExport(proc.grpcAddress, huge);
    expect(a.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(a.details).toMatch(/request of \d+ bytes exceeds the limit of 1048576 bytes/);
  });

  it('absurdly oversize over gRPC (over twice the limit) → refused by grpc-js before reading it', async () => {
    const absurd = encodeLogsRequest(withBody({ stringValue: 'z'.repeat(Math.ceil(2.5 * MiB)) }));
    const a = await grpcExport(proc.grpcAddress, absurd);
    // RESOURCE_EXHAUSTED without RetryInfo: final per the OTLP spec, like INVALID_ARGUMENT.
    expect(a.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(a.details).toMatch(/larger than max/);
  });

  it('oversize over HTTP → 400, naming the limit', async () => {
    const r = await httpPost(proc.httpAddress, '/v1/logs', huge, PROTO);
    expect(r.status).toBe(400);
    expect(decodeStatus(r.body).message).toMatch(/exceeds the limit of 1048576 bytes/);
  });

  it('oversize after decompression (gzip bomb) → 400', async () => {
    const r = await httpPost(proc.httpAddress, '/v1/logs', gzipSync(huge), { ...PROTO, 'content-encoding': 'gzip' });
    expect(r.status).toBe(400);
    expect(decodeStatus(r.body).message).toMatch(/decompressed request exceeds the limit/);
  });

  it('a large attribute value under the limit passes through intact', async () => {
    const before = downstream.requests.length;
    const big = encodeLogsRequest(withBody({ stringValue: 'y'.repeat(700 * 1024) }));
    expect((await grpcExport(proc.grpcAddress, big)).code).toBe(0);
    expect(Buffer.compare(downstream.requests[before], big)).toBe(0);
  });

  it('counts rejections by reason', async () => {
    const metrics = (await httpGet(proc.telemetryAddress, '/metrics')).body.toString();
    for (const reason of ['malformed', 'invalid-utf8', 'too-deep', 'empty', 'content-type', 'oversize', 'bad-gzip']) {
      expect(metrics).toMatch(
        new RegExp(`anomalog_requests_rejected_total\\{protocol="(grpc|http)",reason="${reason}"\\} [1-9]`),
      );
    }
  });
});
