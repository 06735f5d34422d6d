/**
 * A/B runs of processor variants in one session, interleaved round by round so that the machine's
 * other load falls on every variant alike: `tsx bench/throughput/ab.ts` with
 * AB_VARIANTS='[{"name":"a","env":{}},{"name":"b","env":{"BENCH_PROCESSOR_CONFIG":"{...}"}}]',
 * AB_MODE (pass-through | chain | mining+if | mining+lstm | collector | direct-to-sink: the generator
 * sends to the sink itself, the harness's own ceiling), AB_BATCH, AB_ROUNDS.
 * Prints each run and, per variant, the median records/s and its ratio to the first variant.
 */
import { join } from 'node:path';
import { datasetsDir } from '../lib/report';
import { startCollectorPeer } from './collector';
import {
  ask,
  child,
  generate,
  lowerPriority,
  machineCpu,
  idlePct,
  MEASURED_FIRST_PASS,
  nextMessage,
  prime,
  PROCESSOR_ENV,
  PROCESSOR_NODE_ARGS,
  sharePct,
  stop,
  TRAINED_BY,
  type Usage,
} from './procs';

interface Variant {
  name: string;
  env: Record<string, string>;
  /** Another mode than AB_MODE for this variant, e.g. "collector" as the peer. */
  mode?: string;
  /** Extra node flags of the processor (after the ones `npm start` uses, so they win). */
  nodeArgs?: string[];
}

const VARIANTS = JSON.parse(process.env.AB_VARIANTS ?? '[{"name":"base","env":{}}]') as Variant[];
const DEFAULT_MODE = process.env.AB_MODE ?? 'pass-through';
const BATCH = Number(process.env.AB_BATCH ?? 512);
const ROUNDS = Number(process.env.AB_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1500);

interface Run {
  rate: number;
  cpuPerRecord: number;
  p50: number;
  cpu: number;
  gen: number;
  sinkCpu: number;
  loopMax: number;
  /** Loop busy and main thread waiting for a core, % of the window. */
  elu: number;
  runWait: number;
  /** GC pauses, % of the window. */
  gc: number;
  /** Mean requests in process. */
  inflight: number;
  /** The machine's idle time over the run, % of one core (the other engineers' load shows here). */
  idle: number;
}

async function once(v: Variant, datasetFile: string): Promise<Run> {
  const MODE = v.mode ?? DEFAULT_MODE;
  const sink = child('sink.ts');
  lowerPriority(sink);
  const sinkAddress = (await nextMessage<{ address: string }>(sink, 'ready')).address;
  const peer = MODE === 'collector' ? await startCollectorPeer(sinkAddress) : undefined;
  const direct = MODE === 'direct-to-sink';
  const proc =
    peer || direct
      ? undefined
      : child('processor.ts', [sinkAddress, MODE], [...PROCESSOR_NODE_ARGS, ...(v.nodeArgs ?? [])], {
          ...PROCESSOR_ENV,
          ...v.env,
        });
  const target = direct
    ? sinkAddress
    : (peer?.address ?? (await nextMessage<{ address: string }>(proc!, 'ready')).address);
  const trained = TRAINED_BY[MODE];
  if (proc && trained) await prime(proc, target, trained, datasetFile);
  const nothing = { cpuMicros: 0, rss: 0, maxRssKb: 0 } as Usage;
  const usage = async () => (proc ? await ask<Usage>(proc, 'usage') : ((peer?.usage() ?? nothing) as Usage));
  const sample = async () => ({
    at: Date.now(),
    machine: machineCpu(),
    proc: await usage(),
    sink: (await ask<{ cpuMicros: number }>(sink, 'usage')).cpuMicros,
  });
  const marks: ReturnType<typeof sample>[] = [];
  const r = await generate(
    {
      target,
      datasetFile,
      batchSize: BATCH,
      warmupMs: WARMUP_MS,
      durationMs: DURATION_MS,
      concurrency: CONCURRENCY,
      ...(trained ? { firstPass: MEASURED_FIRST_PASS } : {}),
    },
    () => marks.push(sample()),
  );
  const [a, b] = await Promise.all(marks);
  const wall = (b.at - a.at) * 1000;
  if (proc) await stop(proc);
  if (peer) await peer.stop();
  await stop(sink);
  const lat = r.latenciesMs.sort((a, b) => a - b);
  return {
    rate: Math.round(r.records / r.seconds),
    cpuPerRecord: Math.round((100 * (b.proc.cpuMicros - a.proc.cpuMicros)) / Math.max(1, r.records)) / 100,
    p50: Math.round(lat[Math.floor(lat.length / 2)] ?? NaN),
    cpu: Math.round((100 * (b.proc.cpuMicros - a.proc.cpuMicros)) / wall),
    gen: Math.round((100 * r.cpuMicros) / (DURATION_MS * 1000)),
    sinkCpu: Math.round((100 * (b.sink - a.sink)) / wall),
    loopMax: Math.round(b.proc.loopMaxMs ?? NaN),
    idle: Math.round(idlePct(a.machine, b.machine)),
    inflight:
      Math.round(
        (10 * ((b.proc.inflightSum ?? NaN) - (a.proc.inflightSum ?? NaN))) /
          Math.max(1, (b.proc.inflightSamples ?? 0) - (a.proc.inflightSamples ?? 0)),
      ) / 10,
    gc: Math.round(sharePct(a.proc.gcMs, b.proc.gcMs, wall / 1000)),
    elu: Math.round(sharePct(a.proc.loopActiveMs, b.proc.loopActiveMs, wall / 1000)),
    runWait: Math.round(sharePct(a.proc.runQueueWaitMs, b.proc.runQueueWaitMs, wall / 1000)),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const datasetFile = join(datasetsDir(), 'hdfs', 'HDFS_20000.log');
  const runs = new Map<string, Run[]>(VARIANTS.map((v) => [v.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of VARIANTS) {
      const r = await once(v, datasetFile);
      runs.get(v.name)!.push(r);
      console.log(JSON.stringify({ round, variant: v.name, ...r }));
    }
  }
  const base = median(runs.get(VARIANTS[0].name)!.map((r) => r.rate));
  for (const v of VARIANTS) {
    const rs = runs.get(v.name)!;
    const rate = median(rs.map((r) => r.rate));
    console.log(
      `${v.mode ?? DEFAULT_MODE} batch ${BATCH} ${v.name}: median ${rate} records/s, ratio ${(rate / base).toFixed(2)}, cpu ${median(rs.map((r) => r.cpu))} %, gen ${median(rs.map((r) => r.gen))} %, sink ${median(rs.map((r) => r.sinkCpu))} %, p50 ${median(rs.map((r) => r.p50))} ms, idle ${median(rs.map((r) => r.idle))} %, loop busy ${median(rs.map((r) => r.elu))} %, waiting for a core ${median(rs.map((r) => r.runWait))} %, gc ${median(rs.map((r) => r.gc))} %, in process ${median(rs.map((r) => r.inflight))}, cpu/record ${median(rs.map((r) => r.cpuPerRecord))} us`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
