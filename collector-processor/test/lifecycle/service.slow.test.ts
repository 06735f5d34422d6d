/**
 * The whole service as `npm start` runs it (startAnomalog), fed by the OTel JS SDK's OTLP/gRPC
 * exporter: a service learns, then its records reach the downstream annotated, anomalies are on
 * the API and the detection metrics on /metrics.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { ATTR, METRIC } from '@anomalog/shared';
import { startAnomalog, type RunningAnomalog } from '../../src/anomalog';
import type { LogRecord } from '../../src/otlp/types';
import { Downstream, httpGet, silentLogger, testConfig, waitFor } from '../processor/helpers';
import { normalLines } from './records';

jest.setTimeout(60_000);

describe('startAnomalog end to end', () => {
  let dir: string;
  let downstream: Downstream;
  let service: RunningAnomalog;
  let provider: LoggerProvider;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'anomalog-e2e-'));
    downstream = new Downstream();
    const endpoint = await downstream.start();
    service = await startAnomalog(
      testConfig({
        exporter: { endpoint },
        store: { dataDir: dir },
        api: { endpoint: '127.0.0.1:0' },
        detection: { defaultModel: { learning: { records: 300 } } },
      }),
      { logger: silentLogger },
    );
    provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout' }),
      processors: [
        new BatchLogRecordProcessor({
          exporter: new OTLPLogExporter({ url: `http://${service.processor.grpcAddress}` }),
          maxExportBatchSize: 200,
          scheduledDelayMillis: 10,
        }),
      ],
    });
  });

  afterAll(async () => {
    await provider.shutdown();
    await service.close();
    await downstream.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (path: string) =>
    JSON.parse((await httpGet(service.api!.address, `/api/v1${path}`)).body.toString());
  const forwarded = () =>
    downstream.data().flatMap((d) => d.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords)));
  const attr = (r: LogRecord, key: string) => r.attributes.find((a) => a.key === key)?.value;

  test('learns, then annotates downstream records, stores anomalies and counts them', async () => {
    const logger = provider.getLogger('shop');
    for (const body of normalLines(300)) logger.emit({ body, severityNumber: SeverityNumber.INFO });
    await provider.forceFlush();
    await waitFor(() => forwarded().length === 300, 10_000, 'learning records forwarded');
    expect(forwarded().every((r) => attr(r, ATTR.unscored)?.boolValue === true)).toBe(true);
    await service.manager!.idle();
    expect((await api('/services'))[0]).toMatchObject({ service: 'checkout', status: 'scoring', activeVersion: 1 });

    for (const body of normalLines(100, 5)) logger.emit({ body, severityNumber: SeverityNumber.INFO });
    logger.emit({ body: 'payment gateway returned HTTP 502 for order 991', severityNumber: SeverityNumber.ERROR });
    await provider.forceFlush();
    await waitFor(() => forwarded().length === 401, 10_000, 'scored records forwarded');
    const scored = forwarded().slice(300);
    for (const r of scored) {
      expect(attr(r, ATTR.templateId)?.stringValue).toBeTruthy();
      expect(attr(r, ATTR.score)?.doubleValue).toBeGreaterThanOrEqual(0);
    }
    const last = scored[scored.length - 1];
    expect(attr(last, ATTR.isAnomaly)?.boolValue).toBe(true);
    expect(attr(last, ATTR.reason)?.stringValue).toMatch(/^unseen template/);

    // Anomalies are written to the store after the batch is forwarded.
    let page: { total: number; items: { id: string; message: string }[] } = { total: 0, items: [] };
    for (let i = 0; i < 100 && page.items.every((a) => !a.message.includes('502')); i++) {
      page = await api('/anomalies?service=checkout&sort=score');
      await new Promise((r) => setTimeout(r, 50));
    }
    const found = page.items.find((a) => a.message.includes('HTTP 502'))!;
    expect(found).toBeDefined();
    const detail = await api(`/anomalies/${found.id}`);
    expect(detail.context.length).toBeGreaterThan(0);
    expect(detail.explanation.reason).toMatch(/unseen template/);

    const metrics = (await httpGet(service.processor.telemetryAddress, '/metrics')).body.toString();
    expect(metrics).toMatch(new RegExp(`${METRIC.anomalies}\\{service="checkout",detector="unseen-template"`));
    expect(metrics).toMatch(new RegExp(`${METRIC.recordsScored}\\{service="checkout",outcome="unscored"\\} 300`));
    expect(metrics).toMatch(new RegExp(`^${METRIC.sessionsOpen} 0$`, 'm')); // no session key configured
  });
});
