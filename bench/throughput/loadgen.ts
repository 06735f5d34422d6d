/**
 * Load generator, in its own process: OTLP/gRPC ExportLogsServiceRequests of 512 HDFS log lines
 * each (pre-encoded, so the generator's own cost stays small), sent to TARGET either as fast as
 * `concurrency` requests in flight allow (closed loop), or at a fixed record rate (open loop).
 * Reports achieved records/s and per-request latency percentiles over IPC.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { encodeLogsRequest, logRecordOf, type LogRecord } from '../../collector-processor/src';

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
   * instead of reopening finished ones (which a sequence model rightly flags). Each request is then
   * its pre-encoded batch with the pass's tags and times patched in (freshBatch). Unset: the file's
   * lines as they are on every pass, pre-encoded.
   */
  firstPass?: number;
}

export interface LoadResult {
  records: number;
  seconds: number;
  failed: number;
  latenciesMs: number[];
  /** The generator's own CPU time (user+system, µs) over the measured window. */
  cpuMicros: number;
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

const TAG_WIDTH = 6; // fixed width: (pass, id) pairs never collide, and a pass's bytes have one length
const TAG_MARK = '~'.repeat(TAG_WIDTH);
const NS_PER_RECORD = 1_000_000n;

/** Lines [start, start + size) as one request, block ids tagged with `tag`, times from `t0`. */
function encodeBatch(lines: Line[], start: number, size: number, t0: bigint, tag?: string): Buffer {
  const records: LogRecord[] = lines.slice(start, start + size).map((line, i) => {
    const t = t0 + BigInt(i) * NS_PER_RECORD;
    return logRecordOf({
      timeUnixNano: t,
      observedTimeUnixNano: t + 5n,
      severityNumber: line.severityNumber,
      severityText: line.severityText,
      body: { stringValue: tag === undefined ? line.text : line.text.replace(/blk_(-?)(\d+)/g, `blk_$1${tag}$2`) },
      attributes: [{ key: 'log.file.name', value: { stringValue: 'HDFS.log' } }],
    });
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

/** Every offset of `needle` in `hay`, in order. */
function offsetsOf(hay: Buffer, needle: Buffer, from = 0): number[] {
  const out: number[] = [];
  for (let at = hay.indexOf(needle, from); at >= 0; at = hay.indexOf(needle, at + needle.length)) out.push(at);
  return out;
}

/**
 * One batch for any pass, without encoding per request: the batch is encoded once with a marker
 * where the pass tag goes and with pass 0's times; a pass then copies those bytes and overwrites
 * the tags and the fixed64 times in place (both have fixed widths, so no length prefix moves).
 * Encoding 512 records per request cost the generator about as much CPU as the processor spends.
 */
function freshBatch(lines: Line[], start: number, size: number): (pass: number) => Buffer {
  const t0 = T0_NS + BigInt(start) * NS_PER_RECORD;
  const template = encodeBatch(lines, start, size, t0, TAG_MARK);
  const tagAt = offsetsOf(template, Buffer.from(TAG_MARK));
  const timeAt: number[] = [];
  const le = Buffer.alloc(8);
  for (let i = 0, from = 0; i < Math.min(size, lines.length - start); i++) {
    for (const delta of [0n, 5n]) {
      le.writeBigUInt64LE(t0 + BigInt(i) * NS_PER_RECORD + delta);
      const at = template.indexOf(le, from);
      if (at < 0) throw new Error('record time not found in its encoded batch');
      timeAt.push(at);
      from = at + 8;
    }
  }
  return (pass) => {
    const out = Buffer.from(template);
    const tag = String(pass).padStart(TAG_WIDTH, '0');
    for (const at of tagAt) out.write(tag, at, 'latin1');
    const shift = BigInt(pass * lines.length) * NS_PER_RECORD;
    for (const at of timeAt) out.writeBigUInt64LE(out.readBigUInt64LE(at) + shift, at);
    return out;
  };
}

/** The n-th request's body: a pre-encoded replay, or fresh sessions per pass (LoadSpec.firstPass). */
function requestSource(spec: LoadSpec): (n: number) => Buffer {
  const lines = readLines(spec.datasetFile);
  const perPass = Math.floor(lines.length / spec.batchSize);
  const starts = Array.from({ length: perPass }, (_, n) => n * spec.batchSize);
  const { firstPass } = spec;
  if (firstPass !== undefined) {
    const batches = starts.map((start) => freshBatch(lines, start, spec.batchSize));
    return (n) => batches[n % perPass](firstPass + Math.floor(n / perPass));
  }
  const batches = starts.map((start) =>
    encodeBatch(lines, start, spec.batchSize, T0_NS + BigInt(start) * NS_PER_RECORD),
  );
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
  const result: LoadResult = { records: 0, seconds: spec.durationMs / 1000, failed: 0, latenciesMs: [], cpuMicros: 0 };
  // The parent reads the processor's and the sink's CPU at the same two moments (procs.ts generate).
  // Each fires once: on its timer, or when the load stops first (a timer can be late past `end`).
  let cpu0 = process.cpuUsage();
  const phases = [
    once(() => {
      cpu0 = process.cpuUsage();
      process.send?.({ type: 'phase', phase: 'measure' });
    }),
    once(() => {
      const cpu = process.cpuUsage(cpu0);
      result.cpuMicros = cpu.user + cpu.system;
      process.send?.({ type: 'phase', phase: 'end' });
    }),
  ];
  const marks = [setTimeout(phases[0], spec.warmupMs), setTimeout(phases[1], spec.warmupMs + spec.durationMs)];
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
  for (const m of marks) clearTimeout(m);
  for (const fire of phases) fire();
  return result;
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
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
