/**
 * Annotations make a request larger than it came; a downstream Collector refuses messages over its
 * receiver's 4 MiB default (gRPC RESOURCE_EXHAUSTED). The processor splits what it sends
 * (exporter.maxRequestMiB) and, where the downstream's limit is lower still, halves until it fits;
 * a record too large on its own is dropped and counted, never retried forever.
 */
import * as grpc from '@grpc/grpc-js';
import { join } from 'node:path';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { logRecordOf } from '../../src/otlp/log-record';
import { decodeExportResponse, LOGS_EXPORT_PATH, type ExportResponse } from '../../src/otlp/service';
import {
  BUILD_TIMEOUT_MS,
  collectorBinary,
  freePort,
  readFileExport,
  startCollector,
  startProcessor,
  stopAll,
  tempDir,
  waitUntil,
} from './harness';
import { arrivals, downstreamConfig, SEQ } from './chain';

jest.setTimeout(300_000);

const MiB = 1024 * 1024;

beforeAll(() => {
  collectorBinary();
}, BUILD_TIMEOUT_MS);

afterEach(stopAll);

/** One service's request: records numbered from `first`, each body `bodyBytes(i)` long. */
function request(first: number, count: number, bodyBytes: (i: number) => number): Buffer {
  const logRecords = Array.from({ length: count }, (_, i) => {
    const seq = first + i;
    const text = `request ${seq} served in ${seq % 97} ms by worker ${seq % 5} `;
    return logRecordOf({
      timeUnixNano: 1_700_000_000_000_000_000n + BigInt(seq) * 1_000_000n,
      severityNumber: 9,
      severityText: 'INFO',
      body: { stringValue: text.padEnd(bodyBytes(i), '.') },
      attributes: [{ key: SEQ, value: { intValue: BigInt(seq) } }],
    });
  });
  return encodeLogsRequest({
    resourceLogs: [
      {
        resource: {
          attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }],
          droppedAttributesCount: 0,
        },
        schemaUrl: '',
        scopeLogs: [{ scope: undefined, schemaUrl: '', logRecords }],
      },
    ],
  });
}

function exportTo(address: string, body: Buffer): Promise<ExportResponse> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': -1,
  });
  const id = (b: Buffer) => b;
  return new Promise<ExportResponse>((resolve, reject) => {
    client.makeUnaryRequest<Buffer, Buffer>(
      LOGS_EXPORT_PATH,
      id,
      id,
      body,
      new grpc.Metadata(),
      { deadline: Date.now() + 120_000 },
      (err, res) => (err ? reject(err) : resolve(res && res.length ? decodeExportResponse(res) : {})),
    );
  }).finally(() => client.close());
}

async function metricsText(address: string): Promise<string> {
  const res = await fetch(`http://${address}/metrics`);
  return res.text();
}

/** A downstream Collector with its receiver's defaults (4 MiB) writing what arrives; the processor in front. */
async function start(extraArgs: string[] = []) {
  const [processorPort, downstreamPort] = [await freePort(), await freePort()];
  const output = join(tempDir('file-exporter'), 'logs.jsonl');
  const downstream = await startCollector('downstream', downstreamConfig(downstreamPort, output));
  const processor = await startProcessor({
    grpcPort: processorPort,
    downstream: `127.0.0.1:${downstreamPort}`,
    extraArgs,
  });
  return { downstream, processor, arrived: () => arrivals(readFileExport(output)) };
}

/** Records enough that the request stays under the processor's 4 MiB receive limit but not once annotated. */
const MANY = 20_000;
const BODY = 150;

test('a request that annotation pushes past the downstream Collector 4 MiB limit arrives whole, split', async () => {
  const { downstream, processor, arrived } = await start();
  const body = request(0, MANY, () => BODY);
  expect(body.length).toBeGreaterThan(3.5 * MiB);
  expect(body.length).toBeLessThan(4 * MiB);
  expect(await exportTo(processor.grpc, body)).toEqual({});
  await waitUntil(() => arrived().size === MANY, 120_000, `${MANY} records downstream`);
  expect([...arrived().values()].every((n) => n === 1)).toBe(true);
  expect(downstream.log()).not.toMatch(/larger than max/);
});

test('a downstream limit under exporter.maxRequestMiB: halved until it fits; a record too large alone is dropped and counted', async () => {
  const { processor, arrived } = await start(['--exporter.maxRequestMiB=16', '--receiver.maxRecvMsgSizeMiB=16']);
  // Over the downstream's 4 MiB once annotated: refused there, then sent in halves.
  expect(
    await exportTo(
      processor.grpc,
      request(0, MANY, () => BODY),
    ),
  ).toEqual({});
  await waitUntil(() => arrived().size === MANY, 120_000, `${MANY} records downstream`);

  // One record of 5 MiB among small ones: it can never pass the downstream; the others do.
  const big = MANY + 3;
  const res = await exportTo(
    processor.grpc,
    request(MANY, 10, (i) => (MANY + i === big ? 5 * MiB : BODY)),
  );
  expect(res.partialSuccess?.rejectedLogRecords).toBe(1n);
  expect(res.partialSuccess?.errorMessage).toMatch(/too large/);
  await waitUntil(() => arrived().size === MANY + 9, 60_000, 'the 9 small records downstream');
  expect(arrived().has(big)).toBe(false);
  expect(await metricsText(processor.telemetry)).toMatch(
    /anomalog_records_failed_total\{reason="record-too-large"\} 1\b/,
  );
  expect(processor.log()).toMatch(/too large to send downstream were dropped/);
});
