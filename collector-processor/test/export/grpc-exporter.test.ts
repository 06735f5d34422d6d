/**
 * The gRPC exporter's own answers: compression, statuses a downstream gives without gRPC, and a
 * downstream that takes the connection and never speaks.
 */
import * as http2 from 'node:http2';
import { createServer, type Server, type Socket } from 'node:net';
import { createGrpcExporter } from '../../src/export/grpc-exporter';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { ProcessingError } from '../../src/otlp/errors';
import { sampleLogsData, normalise } from '../processor/fixtures';
import { Downstream, normaliseData, testConfig } from '../processor/helpers';

jest.setTimeout(30000);
const body = encodeLogsRequest(sampleLogsData());
const settings = (endpoint: string, exporter: Record<string, unknown> = {}) =>
  testConfig({ exporter: { endpoint, ...exporter } }).exporter;

async function refusal(p: Promise<unknown>): Promise<ProcessingError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProcessingError);
  return err as ProcessingError;
}

it('sends gzip-compressed requests that a gRPC downstream reads as sent', async () => {
  const downstream = new Downstream();
  const exporter = createGrpcExporter(settings(await downstream.start(), { compression: 'gzip' }));
  try {
    expect(await exporter.export(body)).toEqual({});
    expect(normaliseData(downstream.data())).toEqual([normalise(sampleLogsData())]);
  } finally {
    await exporter.close();
    await downstream.stop();
  }
});

describe('a downstream answering in HTTP only (a proxy, a wrong port)', () => {
  let server: http2.Http2Server;
  let endpoint: string;
  let status = 503;
  beforeAll(async () => {
    server = http2.createServer((_req, res) => {
      res.statusCode = status;
      res.end('not gRPC');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('503 is retryable (UNAVAILABLE), 404 is final (UNIMPLEMENTED)', async () => {
    const exporter = createGrpcExporter(settings(endpoint));
    try {
      status = 503;
      const busy = await refusal(exporter.export(body));
      expect(busy.refusal).toBe('downstream-unavailable');
      expect(busy.message).toMatch(/503/);
      status = 404;
      const wrong = await refusal(exporter.export(body));
      expect(wrong.refusal).toBe('downstream-rejected');
      expect(wrong.message).toMatch(/UNIMPLEMENTED/);
    } finally {
      await exporter.close();
    }
  });
});

it('a downstream that takes the connection and never answers is retryable at the deadline', async () => {
  const sockets: Socket[] = [];
  const silent: Server = createServer((s) => {
    sockets.push(s);
    s.resume();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const exporter = createGrpcExporter(
    settings(`127.0.0.1:${(silent.address() as { port: number }).port}`, { timeoutMs: 300 }),
  );
  try {
    const late = await refusal(exporter.export(body));
    expect(late.refusal).toBe('downstream-unavailable');
    expect(late.reason).toBe('downstream-deadline_exceeded');
    expect(sockets.length).toBeGreaterThan(0);
  } finally {
    await exporter.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});
