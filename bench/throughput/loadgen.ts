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
  /**
   * Fresh sessions: from this pass over the file on, each pass gets its own block ids (`blk_N` with
   * the pass number spliced in) and record times that run on, so a replay starts new sessions
   * instead of reopening finished ones (which a sequence model rightly flags). Requests are then
   * encoded as they are sent. Unset: the file's lines as they are on every pass, pre-encoded.
   */
  firstPass?: number;
}

export interface LoadResult {
  records: number;
  seconds: number;
  failed: number;
  latenciesMs: number[];
}

const PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
const id = (b: Buffer) => b;

interface Line {
  text: string;
  severityNumber: number;
  severityText: string;
}

const T0_NS = 1_700_000_000_000_000_000n;

function readLines(file: string): Line[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((text) => {
      const level = / (INFO|WARN|ERROR) /.exec(text)?.[1] ?? 'INFO';
      return { text, severityText: level, severityNumber: level === 'WARN' ? 13 : level === 'ERROR' ? 17 : 9 };
    });
}

/** Lines [start, start + size) of pass `pass` as one request; times run on from pass to pass. */
function encodeBatch(lines: Line[], start: number, size: number, pass: number, freshIds: boolean): Buffer {
  const records: LogRecord[] = lines.slice(start, start + size).map((line, i) => {
    const t = T0_NS + BigInt(pass * lines.length + start + i) * 1_000_000n;
    const tag = String(pass).padStart(6, '0'); // fixed width: (pass, id) pairs never collide
    return {
      timeUnixNano: t,
      observedTimeUnixNano: t + 5n,
      severityNumber: line.severityNumber,
      severityText: line.severityText,
      body: { stringValue: freshIds ? line.text.replace(/blk_(-?)(\d+)/g, `blk_$1${tag}$2`) : line.text },
      attributes: [{ key: 'log.file.name', value: { stringValue: 'HDFS.log' } }],
      droppedAttributesCount: 0,
      flags: 0,
      traceId: new Uint8Array(0),
      spanId: new Uint8Array(0),
      eventName: '',
    };
  });
  return encodeLogsRequest({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hdfs' } }], droppedAttributesCount: 0 },
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
  });
}

/** The n-th request's body: a pre-encoded replay, or fresh sessions per pass (LoadSpec.firstPass). */
function requestSource(spec: LoadSpec): (n: number) => Buffer {
  const lines = readLines(spec.datasetFile);
  const perPass = Math.floor(lines.length / spec.batchSize);
  const batchOf = (n: number, pass: number, fresh: boolean) =>
    encodeBatch(lines, (n % perPass) * spec.batchSize, spec.batchSize, pass, fresh);
  const { firstPass } = spec;
  if (firstPass !== undefined) return (n) => batchOf(n, firstPass + Math.floor(n / perPass), true);
  const batches = Array.from({ length: perPass }, (_, n) => batchOf(n, 0, false));
  return (n) => batches[n % perPass];
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const requestBody = requestSource(spec);
  const client = new grpc.Client(spec.target, grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': -1,
  });
  const md = new grpc.Metadata();
  let next = 0;
  const send = (): Promise<{ ok: boolean; ms: number }> =>
    new Promise((resolve) => {
      const body = requestBody(next++);
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
