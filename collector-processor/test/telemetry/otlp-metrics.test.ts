import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC } from '@anomalog/shared';
import { Registry } from 'prom-client';
import { startAnomalog } from '../../src/anomalog';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { LOGS_EXPORT_PATH } from '../../src/otlp/service';
import { toOtlp } from '../../src/telemetry/otlp-metrics';
import { createDetectionMetrics } from '../../src/telemetry/detection-metrics';
import { grpcExport, silentLogger, testConfig, waitFor } from '../processor/helpers';
import { batchOf, logRecord } from '../lifecycle/records';

const METRICS_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

/** A downstream that accepts logs and keeps the raw OTLP metrics requests. */
async function otlpDownstream() {
  const metrics: Buffer[] = [];
  const server = new grpc.Server();
  const id = (b: Buffer) => b;
  const method = (path: string) => ({
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: id,
    requestDeserialize: id,
    responseSerialize: id,
    responseDeserialize: id,
  });
  server.addService(
    { Logs: method(LOGS_EXPORT_PATH), Metrics: method(METRICS_PATH) },
    {
      Logs: (_c: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, Buffer.alloc(0)),
      Metrics: (c: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
        metrics.push(c.request);
        cb(null, Buffer.alloc(0));
      },
    },
  );
  const port = await new Promise<number>((ok, fail) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? fail(e) : ok(p))),
  );
  return {
    metrics,
    endpoint: `127.0.0.1:${port}`,
    stop: () => new Promise<void>((r) => server.tryShutdown(() => r())),
  };
}

test('prom histograms become OTLP explicit-bucket points with per-bucket counts', async () => {
  const registry = new Registry();
  const m = createDetectionMetrics(registry);
  for (const s of [0.05, 0.3, 0.3, 0.97, 1]) m.score.observe({ service: 'web' }, s);
  m.anomalies.inc({ service: 'web', detector: 'lof', template_id: 't1' }, 2);
  const data = toOtlp(await registry.getMetricsAsJSON(), [0, 0], [1, 0]);
  const hist = data.find((d) => d.descriptor.name === METRIC.anomalyScore)!;
  const point = hist.dataPoints[0] as unknown as {
    attributes: Record<string, string>;
    value: { buckets: { boundaries: number[]; counts: number[] }; count: number; sum: number };
  };
  expect(point.attributes).toEqual({ service: 'web' });
  expect(point.value.buckets.boundaries).toEqual([0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]);
  expect(point.value.buckets.counts).toEqual([1, 0, 2, 0, 0, 0, 1, 0, 1, 0]);
  expect(point.value.count).toBe(5);
  expect(point.value.sum).toBeCloseTo(2.62);
  const anomalies = data.find((d) => d.descriptor.name === METRIC.anomalies)!;
  expect(anomalies.dataPoints[0].value).toBe(2);
});

test('the running service pushes its metrics over OTLP/gRPC to the downstream', async () => {
  const downstream = await otlpDownstream();
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-otlpm-'));
  const service = await startAnomalog(
    testConfig({
      exporter: { endpoint: downstream.endpoint },
      telemetry: { otlpMetricsIntervalS: 0.2 },
      store: { dataDir: dir },
      api: { enabled: false },
    }),
    { logger: silentLogger },
  );
  try {
    const body = encodeLogsRequest(batchOf('web', [logRecord('hello 1'), logRecord('hello 2')]).data);
    expect((await grpcExport(service.processor.grpcAddress, body)).code).toBe(0);
    await waitFor(
      () => downstream.metrics.some((b) => b.includes(METRIC.recordsReceived) && b.includes(METRIC.recordsScored)),
      10_000,
      'an OTLP metrics request with the processor and detection metrics',
    );
    const last = downstream.metrics[downstream.metrics.length - 1];
    expect(last.includes('service.name')).toBe(true);
    expect(last.includes('anomalog')).toBe(true);
  } finally {
    await service.close();
    await downstream.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
