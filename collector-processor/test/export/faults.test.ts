/**
 * Downstream trouble: down, slow, refusing. The processor must answer retryable errors (never drop
 * silently), pass non-retryable answers up, and bound what it holds.
 */
import * as grpc from '@grpc/grpc-js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { encodeLogsJson } from '../../src/otlp/logs-json';
import { decodeExportResponse } from '../../src/otlp/service';
import type { LogsData } from '../../src/otlp/types';
import { sampleLogsData } from '../processor/fixtures';
import { Downstream, grpcExport, httpGet, httpPost, start, waitFor } from '../processor/helpers';

jest.setTimeout(40000);
const PROTO = { 'content-type': 'application/x-protobuf' };

describe('downstream down, then up', () => {
  it('OTLP/HTTP SDK exporter (own process) gets 503 + Retry-After, retries, and every record arrives', async () => {
    const downstream = new Downstream();
    const port = Number((await downstream.start()).split(':')[1]);
    await downstream.stop(); // down: connection refused
    const proc = await start({ exporter: { endpoint: `127.0.0.1:${port}` } });
    try {
      const client = runSdkHttpClient(`http://${proc.httpAddress}/v1/logs`, 50);
      await waitFor(() => failedCount(proc.registry) > 0, 10000, 'a refused export while downstream is down');
      await downstream.start(port); // up again
      await client;
      await waitFor(() => downstream.records().length >= 50, 15000, 'all records downstream');
      expect(seqs(downstream)).toEqual(range(50));
      const metrics = (await httpGet(proc.telemetryAddress, '/metrics')).body.toString();
      expect(metrics).toMatch(/anomalog_records_failed_total\{reason="downstream-unavailable"\} \d+/);
      expect(metrics).toMatch(
        /anomalog_requests_rejected_total\{protocol="http",reason="downstream-unavailable"\} \d+/,
      );
    } finally {
      await proc.close();
      await downstream.stop();
    }
  });

  it('OTLP/gRPC with a Collector-style retrying client: UNAVAILABLE while down, then every record arrives once', async () => {
    // The OTel JS gRPC log exporter (0.223) does not retry; the Collector's otlp exporter does
    // (retry_on_failure on UNAVAILABLE). This client retries the same way.
    const downstream = new Downstream();
    const port = Number((await downstream.start()).split(':')[1]);
    await downstream.stop();
    const proc = await start({ exporter: { endpoint: `127.0.0.1:${port}` } });
    try {
      const batches = [0, 1, 2].map(() => encodeLogsRequest(sampleLogsData()));
      const codes: number[] = [];
      const sending = Promise.all(
        batches.map(async (b) => {
          for (let attempt = 0; attempt < 50; attempt++) {
            const a = await grpcExport(proc.grpcAddress, b);
            codes.push(a.code);
            if (a.code === 0) return;
            expect(a.code).toBe(grpc.status.UNAVAILABLE);
            await new Promise((r) => setTimeout(r, 100));
          }
        }),
      );
      await waitFor(() => codes.length >= 3, 5000, 'refusals while down');
      await downstream.start(port);
      await sending;
      expect(codes.filter((c) => c === grpc.status.UNAVAILABLE).length).toBeGreaterThanOrEqual(3);
      expect(downstream.requests).toHaveLength(3);
      expect(downstream.requests.every((r) => Buffer.compare(r, batches[0]) === 0)).toBe(true);
    } finally {
      await proc.close();
      await downstream.stop();
    }
  });
});

function runSdkHttpClient(url: string, n: number): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', 'processor', 'sdk-http-client.ts'), url, String(n)],
      { timeout: 30000, cwd: join(__dirname, '..', '..') },
      (err, _out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()),
    ),
  );
}

function seqs(d: Downstream): Set<number> {
  return new Set(d.records().map((r) => Number(r.record.attributes.find((a) => a.key === 'seq')?.value.intValue)));
}

function range(n: number): Set<number> {
  return new Set(Array.from({ length: n }, (_, i) => i));
}

function failedCount(registry: import('prom-client').Registry): number {
  const m = registry.getSingleMetric('anomalog_records_failed_total') as unknown as {
    hashMap: Record<string, { value: number }>;
  };
  return Object.values(m.hashMap).reduce((s, v) => s + v.value, 0);
}

describe('downstream answers', () => {
  const body = encodeLogsRequest(sampleLogsData());

  it('UNAVAILABLE downstream → gRPC UNAVAILABLE, HTTP 503 with Retry-After', async () => {
    const downstream = new Downstream();
    downstream.behaviour = 'unavailable';
    const proc = await start({ exporter: { endpoint: await downstream.start() }, receiver: { retryAfterSeconds: 2 } });
    try {
      const g = await grpcExport(proc.grpcAddress, body);
      expect(g.code).toBe(grpc.status.UNAVAILABLE);
      expect(g.details).toMatch(/downstream unavailable/);
      const h = await httpPost(proc.httpAddress, '/v1/logs', body, PROTO);
      expect(h.status).toBe(503);
      expect(h.headers['retry-after']).toBe('2');
    } finally {
      await proc.close();
      await downstream.stop();
    }
  });

  it('downstream INVALID_ARGUMENT is passed up as non-retryable (gRPC INVALID_ARGUMENT, HTTP 400)', async () => {
    const downstream = new Downstream();
    downstream.behaviour = 'invalid';
    const proc = await start({ exporter: { endpoint: await downstream.start() } });
    try {
      const g = await grpcExport(proc.grpcAddress, body);
      expect(g.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(g.details).toMatch(/downstream rejected.*test downstream says invalid/);
      const h = await httpPost(
        proc.httpAddress,
        '/v1/logs',
        Buffer.from(
          JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' } }] }] }] }),
        ),
        {
          'content-type': 'application/json',
        },
      );
      expect(h.status).toBe(400);
      expect(JSON.parse(h.body.toString())).toEqual({ code: 3, message: expect.stringMatching(/downstream rejected/) });
    } finally {
      await proc.close();
      await downstream.stop();
    }
  });

  it('downstream partial success is passed up (gRPC and HTTP/JSON) and counted', async () => {
    const downstream = new Downstream();
    downstream.behaviour = 'partial';
    const proc = await start({ exporter: { endpoint: await downstream.start() } });
    try {
      const g = await grpcExport(proc.grpcAddress, body);
      expect(g.code).toBe(0);
      expect(decodeExportResponse(g.response!)).toEqual({
        partialSuccess: { rejectedLogRecords: 2n, errorMessage: 'two records too old' },
      });
      const json = Buffer.from(JSON.stringify(encodeLogsJson(sampleLogsData())));
      const h = await httpPost(proc.httpAddress, '/v1/logs', json, { 'content-type': 'application/json' });
      expect(h.status).toBe(200);
      expect(JSON.parse(h.body.toString())).toEqual({
        partialSuccess: { rejectedLogRecords: '2', errorMessage: 'two records too old' },
      });
      const metrics = (await httpGet(proc.telemetryAddress, '/metrics')).body.toString();
      expect(metrics).toContain('anomalog_records_failed_total{reason="downstream-partial"} 4');
      expect(metrics).toContain('anomalog_records_exported_total 6');
    } finally {
      await proc.close();
      await downstream.stop();
    }
  });

  it('downstream slower than exporter.timeoutMs → retryable; the late copy may still land (the at-least-once duplicate)', async () => {
    const downstream = new Downstream();
    downstream.behaviour = { delayMs: 600 };
    const proc = await start({ exporter: { endpoint: await downstream.start(), timeoutMs: 150 } });
    try {
      const g = await grpcExport(proc.grpcAddress, body);
      expect(g.code).toBe(grpc.status.UNAVAILABLE);
      expect(g.details).toMatch(/DEADLINE_EXCEEDED/);
      // The downstream did get it: upstream will retry, so it will arrive twice.
      await waitFor(() => downstream.requests.length === 1, 3000, 'late delivery');
    } finally {
      await proc.close();
      await downstream.stop();
    }
  });
});

describe('backpressure: a slow downstream bounds what the processor holds', () => {
  it('over maxConcurrentRequests, requests are refused at once with a retryable error', async () => {
    const downstream = new Downstream();
    downstream.behaviour = { delayMs: 800 };
    const proc = await start({
      exporter: { endpoint: await downstream.start() },
      // Streams enough for all ten at once on the one connection the test's clients share, as many
      // connections (several Collectors) bring them.
      receiver: { maxConcurrentRequests: 4, grpc: { maxConcurrentStreams: 100 } },
    });
    try {
      const body = encodeLogsRequest(sampleLogsData());
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 10 }, () => grpcExport(proc.grpcAddress, body)));
      const ok = answers.filter((a) => a.code === 0);
      const refused = answers.filter((a) => a.code === grpc.status.UNAVAILABLE);
      expect(ok).toHaveLength(4);
      expect(refused).toHaveLength(6);
      expect(refused[0].details).toMatch(/too many concurrent requests \(limit 4\)/);
      expect(Date.now() - started).toBeLessThan(5000);
      // HTTP gets 429 + Retry-After for the same reason.
      const slow = Array.from({ length: 4 }, () => grpcExport(proc.grpcAddress, body));
      await waitFor(() => inflight(proc) === 4, 3000, 'slots taken');
      const h = await httpPost(proc.httpAddress, '/v1/logs', body, PROTO);
      expect(h.status).toBe(429);
      expect(h.headers['retry-after']).toBe('1');
      await Promise.all(slow);
      const metrics = (await httpGet(proc.telemetryAddress, '/metrics')).body.toString();
      expect(metrics).toMatch(/anomalog_requests_rejected_total\{protocol="grpc",reason="concurrency-limit"\} 6/);
    } finally {
      await proc.close();
      await downstream.stop();
    }
  });

  it('over maxInflightMiB, requests are refused with a retryable error (memory stays bounded)', async () => {
    const downstream = new Downstream();
    downstream.behaviour = { delayMs: 800 };
    const big: LogsData = sampleLogsData();
    big.resourceLogs[0].scopeLogs[0].logRecords[1].body = { stringValue: 'x'.repeat(300 * 1024) };
    const body = encodeLogsRequest(big);
    const proc = await start({ exporter: { endpoint: await downstream.start() }, receiver: { maxInflightMiB: 1 } });
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, () => grpcExport(proc.grpcAddress, body)));
      const ok = answers.filter((a) => a.code === 0).length;
      expect(ok).toBe(3); // 3 × ~300 KiB fit in 1 MiB, the 4th does not
      expect(
        answers.filter((a) => a.code === grpc.status.UNAVAILABLE && /too much request data/.test(a.details)),
      ).toHaveLength(3);
    } finally {
      await proc.close();
      await downstream.stop();
    }
  });
});

function inflight(proc: { registry: import('prom-client').Registry }): number {
  const g = proc.registry.getSingleMetric('anomalog_inflight_requests') as unknown as {
    hashMap: Record<string, { value: number }>;
  };
  return Object.values(g.hashMap).reduce((s, v) => s + v.value, 0);
}

describe('shutdown', () => {
  it('finishes in-flight exports, then refuses new ones', async () => {
    const downstream = new Downstream();
    downstream.behaviour = { delayMs: 400 };
    const proc = await start({ exporter: { endpoint: await downstream.start() } });
    const body = encodeLogsRequest(sampleLogsData());
    const inFlight = grpcExport(proc.grpcAddress, body);
    await waitFor(() => inflight(proc) === 1, 3000, 'request in flight');
    const closing = proc.close();
    expect((await inFlight).code).toBe(0);
    await closing;
    expect(downstream.requests).toHaveLength(1);
    const after = await grpcExport(proc.grpcAddress, body, { 'grpc.initial_reconnect_backoff_ms': 50 });
    expect(after.code).toBe(grpc.status.UNAVAILABLE);
    await downstream.stop();
  });
});
