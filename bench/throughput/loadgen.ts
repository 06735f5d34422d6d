/**
 * Load generator, in its own process: OTLP/gRPC ExportLogsServiceRequests of 512 HDFS log lines
 * each (pre-encoded, so the generator's own cost stays small), sent to TARGET either as fast as
 * `concurrency` requests in flight allow (closed loop), or at a fixed record rate (open loop).
 * Reports achieved records/s and per-request latency percentiles over IPC.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { encodeLogsRequest } from '../../collector-processor/src/otlp/logs-proto';
import type { LogRecord } from '../../collector-processor/src/otlp/types';

export interface LoadSpec {
  target: string;
  datasetFile: string;
  batchSize: number;
  warmupMs: number;
  durationMs: number;
  /** Closed loop with this many requests in flight… */
  concurrency?: number;
  /** …or open loop at this many records per second. */
  ratePerS?: number;
  /** Closed loop only: stop after this many requests (e.g. one pass over the file). */
  requests?: number;
}

export interface LoadResult {
  records: number;
  seconds: number;
  failed: number;
  latenciesMs: number[];
}

const PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
const id = (b: Buffer) => b;

function buildBatches(file: string, size: number): Buffer[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const batches: Buffer[] = [];
  const t0 = 1_700_000_000_000_000_000n;
  for (let start = 0; start + size <= lines.length; start += size) {
    const records: LogRecord[] = lines.slice(start, start + size).map((line, i) => {
      const level = / (INFO|WARN|ERROR) /.exec(line)?.[1] ?? 'INFO';
      return {
        timeUnixNano: t0 + BigInt(start + i) * 1_000_000n,
        observedTimeUnixNano: t0 + BigInt(start + i) * 1_000_000n + 5n,
        severityNumber: level === 'WARN' ? 13 : level === 'ERROR' ? 17 : 9,
        severityText: level,
        body: { stringValue: line },
        attributes: [{ key: 'log.file.name', value: { stringValue: 'HDFS.log' } }],
        droppedAttributesCount: 0,
        flags: 0,
        traceId: new Uint8Array(0),
        spanId: new Uint8Array(0),
        eventName: '',
      };
    });
    batches.push(
      encodeLogsRequest({
        resourceLogs: [
          {
            resource: {
              attributes: [{ key: 'service.name', value: { stringValue: 'hdfs' } }],
              droppedAttributesCount: 0,
            },
            scopeLogs: [
              {
                scope: { name: 'bench', version: '1', attributes: [], droppedAttributesCount: 0 },
                logRecords: records,
                schemaUrl: '',
              },
            ],
            schemaUrl: '',
          },
        ],
      }),
    );
  }
  return batches;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const batches = buildBatches(spec.datasetFile, spec.batchSize);
  const client = new grpc.Client(spec.target, grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': -1,
  });
  const md = new grpc.Metadata();
  let next = 0;
  const send = (): Promise<{ ok: boolean; ms: number }> =>
    new Promise((resolve) => {
      const body = batches[next++ % batches.length];
      const t = process.hrtime.bigint();
      client.makeUnaryRequest(PATH, id, id, body, md, {}, (err) =>
        resolve({ ok: !err, ms: Number(process.hrtime.bigint() - t) / 1e6 }),
      );
    });

  const start = Date.now();
  const measureFrom = start + spec.warmupMs;
  const end = measureFrom + spec.durationMs;
  const result: LoadResult = { records: 0, seconds: spec.durationMs / 1000, failed: 0, latenciesMs: [] };
  const record = (r: { ok: boolean; ms: number }, sentAt: number) => {
    if (sentAt < measureFrom || Date.now() > end) return;
    if (!r.ok) result.failed++;
    else {
      result.records += spec.batchSize;
      result.latenciesMs.push(r.ms);
    }
  };

  if (spec.concurrency) {
    const worker = async () => {
      while (Date.now() < end && (spec.requests === undefined || next < spec.requests)) {
        const sentAt = Date.now();
        record(await send(), sentAt);
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
  } else {
    const perMs = (spec.ratePerS ?? 1) / spec.batchSize / 1000;
    const pending: Promise<void>[] = [];
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = Date.now();
        if (now >= end) return resolve();
        const due = Math.floor((now - start) * perMs);
        for (; sent < due; sent++) pending.push(send().then((r) => record(r, now)));
        setTimeout(tick, 1);
      };
      tick();
    });
    await Promise.all(pending);
  }
  client.close();
  return result;
}

process.on('message', (spec: LoadSpec) => {
  run(spec).then(
    (r) => process.send?.({ type: 'done', result: r }, () => process.exit(0)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
});
