import { gzipSync } from 'node:zlib';
import { ATTR } from '@anomalog/shared';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { encodeLogsJson } from '../../src/otlp/logs-json';
import { forEachRecord, type AnnotationStage } from '../../src/chain/stage';
import type { RunningProcessor } from '../../src/processor';
import { Downstream, grpcExport, httpGet, httpPost, normaliseData, start } from './helpers';
import { normalise, sampleLogsData } from './fixtures';

jest.setTimeout(30000);

describe('pass-through: every field arrives unchanged', () => {
  let downstream: Downstream;
  let proc: RunningProcessor;

  beforeAll(async () => {
    downstream = new Downstream();
    const endpoint = await downstream.start();
    proc = await start({ exporter: { endpoint } });
  });
  afterAll(async () => {
    await proc.close();
    await downstream.stop();
  });
  beforeEach(() => downstream.requests.splice(0));

  it('OTLP/gRPC: the request leaves byte for byte as it came (empty chain)', async () => {
    const body = encodeLogsRequest(sampleLogsData());
    const answer = await grpcExport(proc.grpcAddress, body);
    expect(answer.code).toBe(0);
    expect(downstream.requests).toHaveLength(1);
    expect(Buffer.compare(downstream.requests[0], body)).toBe(0);
  });

  it.each([
    ['protobuf', 'application/x-protobuf', false],
    ['protobuf+gzip', 'application/x-protobuf', true],
    ['json', 'application/json', false],
    ['json+gzip', 'application/json; charset=utf-8', true],
  ])('OTLP/HTTP %s', async (_name, contentType, gzip) => {
    const data = sampleLogsData();
    let body = contentType.startsWith('application/json')
      ? Buffer.from(JSON.stringify(encodeLogsJson(data)))
      : encodeLogsRequest(data);
    const headers: Record<string, string> = { 'content-type': contentType };
    if (gzip) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    const res = await httpPost(proc.httpAddress, '/v1/logs', body, headers);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      contentType.startsWith('application/json') ? 'application/json' : 'application/x-protobuf',
    );
    if (contentType.startsWith('application/json')) expect(JSON.parse(res.body.toString())).toEqual({});
    expect(normaliseData(downstream.data())).toEqual([normalise(data)]);
  });

  it('counts received and exported records on /metrics, and answers /healthz and /readyz', async () => {
    await grpcExport(proc.grpcAddress, encodeLogsRequest(sampleLogsData()));
    const metrics = (await httpGet(proc.telemetryAddress, '/metrics')).body.toString();
    expect(metrics).toMatch(/anomalog_records_received_total\{protocol="grpc"\} \d+/);
    expect(metrics).toMatch(/anomalog_records_exported_total \d+/);
    expect(metrics).toContain('anomalog_export_latency_seconds_bucket');
    expect(metrics).toContain('anomalog_inflight_requests 0');
    expect((await httpGet(proc.telemetryAddress, '/healthz')).status).toBe(200);
    expect((await httpGet(proc.telemetryAddress, '/readyz')).status).toBe(200);
  });
});

describe('the annotation chain', () => {
  const templateStage: AnnotationStage = {
    name: 'test-template',
    process(batch) {
      forEachRecord(batch.data, (record, _rl, _sl, i) => {
        batch.parsed.set(i, {
          service: 'svc',
          message: '',
          severityNumber: record.severityNumber,
          templateId: `t${i}`,
          template: `T${i}`,
          newTemplate: true,
          tokens: 0,
          timeMs: 0,
        });
      });
    },
  };

  it('runs the stages in order, then the attributes stage; nothing else changes', async () => {
    const downstream = new Downstream();
    const order: string[] = [];
    const first: AnnotationStage = { name: 'first', process: () => void order.push('first') };
    const second: AnnotationStage = { name: 'second', process: async () => void order.push('second') };
    const proc = await start({ exporter: { endpoint: await downstream.start() } }, [first, templateStage, second]);
    try {
      const sent = sampleLogsData();
      expect((await grpcExport(proc.grpcAddress, encodeLogsRequest(sent))).code).toBe(0);
      expect(order).toEqual(['first', 'second']);
      // Expected: the same data with the template attributes appended per record, in record order.
      forEachRecord(sent, (r, _rl, _sl, i) =>
        r.attributes.push(
          { key: ATTR.templateId, value: { stringValue: `t${i}` } },
          { key: ATTR.template, value: { stringValue: `T${i}` } },
        ),
      );
      expect(normaliseData(downstream.data())).toEqual([normalise(sent)]);
    } finally {
      await proc.close();
      await downstream.stop();
    }
  });

  it('a failing stage does not lose the batch: it is forwarded without that stage', async () => {
    const downstream = new Downstream();
    const broken: AnnotationStage = {
      name: 'broken',
      process: () => {
        throw new Error('boom');
      },
    };
    const proc = await start({ exporter: { endpoint: await downstream.start() } }, [broken]);
    try {
      const sent = sampleLogsData();
      expect((await grpcExport(proc.grpcAddress, encodeLogsRequest(sent))).code).toBe(0);
      expect(normaliseData(downstream.data())).toEqual([normalise(sent)]);
      const metrics = (await httpGet(proc.telemetryAddress, '/metrics')).body.toString();
      expect(metrics).toContain('anomalog_stage_errors_total{stage="broken"} 1');
    } finally {
      await proc.close();
      await downstream.stop();
    }
  });
});

describe('no downstream configured', () => {
  it('accepts and answers success', async () => {
    const proc = await start();
    try {
      expect((await grpcExport(proc.grpcAddress, encodeLogsRequest(sampleLogsData()))).code).toBe(0);
      const res = await httpPost(proc.httpAddress, '/v1/logs', encodeLogsRequest(sampleLogsData()), {
        'content-type': 'application/x-protobuf',
      });
      expect(res.status).toBe(200);
      const metrics = (await httpGet(proc.telemetryAddress, '/metrics')).body.toString();
      expect(metrics).toContain('anomalog_records_exported_total 10');
    } finally {
      await proc.close();
    }
  });
});
