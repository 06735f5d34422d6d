/**
 * Real upstream peers: the official OTel JS SDK exporters (OTLP/gRPC in-process, OTLP/HTTP+JSON
 * in a child process) send to the processor, which forwards to a test downstream. Every field of
 * every record must arrive as the SDK serialized it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { decodeLogsRequest } from '../../src/otlp/logs-decode';
import type { LogsData } from '../../src/otlp/types';
import type { RunningProcessor } from '../../src/processor';
import { normalise } from './fixtures';
import { Downstream, start, waitFor } from './helpers';
import { emitVariety, sdkProvider } from './sdk-emitter';

jest.setTimeout(30000);
const N = 120;

/** Sends N records through the SDK and resolves with the SDK's own serialization of them. */
type Sender = (p: RunningProcessor) => Promise<Uint8Array>;

const viaGrpc =
  (compression?: CompressionAlgorithm): Sender =>
  async (p) => {
    const { provider, captured } = sdkProvider(new GrpcLogExporter({ url: `http://${p.grpcAddress}`, compression }));
    emitVariety(provider, N);
    await provider.forceFlush();
    const expected = ProtobufLogsSerializer.serializeRequest(captured.getFinishedLogRecords())!;
    await provider.shutdown();
    return expected;
  };

const viaHttpChild: Sender = (p) =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'sdk-http-client.ts'), `http://${p.httpAddress}/v1/logs`, String(N)],
      { timeout: 20000, cwd: join(__dirname, '..', '..') },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(Buffer.from(stdout, 'base64')),
    );
  });

describe.each([
  ['OTLP/gRPC exporter', viaGrpc()],
  ['OTLP/gRPC exporter, gzip', viaGrpc(CompressionAlgorithm.GZIP)],
  ['OTLP/HTTP exporter (JSON), separate process', viaHttpChild],
])('%s → processor → downstream', (_name, send) => {
  let downstream: Downstream;
  let proc: RunningProcessor;

  beforeAll(async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined); // SDK: "Dropping extra attributes" per record
    downstream = new Downstream();
    proc = await start({ exporter: { endpoint: await downstream.start() } });
  });
  afterAll(async () => {
    await proc.close();
    await downstream.stop();
  });

  it('delivers every record with every field unchanged, in order', async () => {
    const expectedBytes = await send(proc);
    await waitFor(() => downstream.records().length >= N, 10000, 'records downstream');
    const expected = flatten(decodeLogsRequest(expectedBytes).data);
    const got = downstream.records();
    expect(got).toHaveLength(N);
    expect(normalise(got)).toEqual(normalise(expected));
    // Spot checks that the variety is really there, so the equality above means something.
    const first = got[0].record;
    expect(first.traceId).toHaveLength(16);
    expect(first.spanId).toHaveLength(8);
    expect(first.flags).toBe(1);
    expect(first.droppedAttributesCount).toBe(2);
    expect(first.observedTimeUnixNano).toBe(1_700_000_100_000_000_007n);
    expect(first.body?.kvlistValue?.values.map((kv) => Object.keys(kv.value)[0])).toEqual([
      'stringValue',
      'intValue',
      'doubleValue',
      'boolValue',
      'arrayValue',
      'bytesValue',
      'kvlistValue',
    ]);
    expect(new Set(got.map((g) => g.scope?.name))).toEqual(new Set(['app.a', 'app.b']));
  });
});

function flatten(data: LogsData) {
  const out: { record: unknown; resource: unknown; scope: unknown }[] = [];
  for (const rl of data.resourceLogs)
    for (const sl of rl.scopeLogs)
      for (const record of sl.logRecords) out.push({ record, resource: rl.resource, scope: sl.scope });
  return out;
}
