/**
 * `npm run bench:throughput`: OTLP/gRPC records through the processor to a sink, with the load
 * generator, the processor and the sink each in its own process (all on this machine's cores).
 * Cases: pass-through (empty chain) and chain (one fact per record + the attributes stage), each
 * at maximum rate (closed loop) and at half that rate (open loop, for latency), plus the
 * generator straight to the sink as a latency baseline. Latency is per request of 512 records,
 * as seen by the generator: an upper bound on what the processor adds.
 * Writes bench/results/throughput.json and the "throughput" section of docs/benchmarks.md.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir, markdownTable, updateDocSection, writeResults, type BenchCase } from './lib/report';
import { updateReadmeTable } from './lib/readme-table';
import type { LoadSpec } from './throughput/loadgen';
import { startCollectorPeer, type CollectorPeer } from './throughput/collector';
import {
  ask,
  BATCH,
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
} from './throughput/procs';
/** The generator straight into the sink: the harness's own ceiling, above which no peer can measure. */
const DIRECT = 'direct-to-sink';
const MODES = (process.env.BENCH_MODES ?? `collector,${DIRECT},pass-through,chain,mining+if,mining+lstm`).split(',');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8000);
/**
 * Records per request of the extra cases (BENCH_COLLECTOR_BATCH, 0 = none): a Collector's batch
 * processor sends up to 8,192 records per request (its send_batch_size default), which it fills at high rates.
 */
const COLLECTOR_BATCH = Number(process.env.BENCH_COLLECTOR_BATCH ?? 8192);
/** Modes that also run with COLLECTOR_BATCH records per request. */
const COLLECTOR_BATCH_MODES = new Set(['collector', DIRECT, 'pass-through', 'mining+if']);
/** The real OpenTelemetry Collector's pass-through (bench/throughput/collector.ts), the peer of the ratios. */
const COLLECTOR = 'collector';
/** BENCH_MAX_ONLY=1: only the max-rate cases (quick A/B runs; results are written only for a full run). */
const MAX_ONLY = process.env.BENCH_MAX_ONLY === '1';

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

type Load = 'max' | 'half-max' | 'half-target';

/**
 * `freshSessions`: the modes that score sessions get new block ids per replay pass (LoadSpec.firstPass),
 * and so does their direct-to-sink baseline, which then pays the same generator cost.
 */
async function runCase(
  mode: string,
  load: Load,
  datasetFile: string,
  batch: number,
  ratePerS?: number,
  freshSessions = TRAINED_BY[mode] !== undefined,
): Promise<BenchCase> {
  const sink = child('sink.ts');
  lowerPriority(sink);
  const sinkAddress = (await nextMessage<{ address: string }>(sink, 'ready')).address;
  let proc: ChildProcess | undefined;
  let peer: CollectorPeer | undefined;
  let target = sinkAddress;
  if (mode === COLLECTOR) {
    peer = await startCollectorPeer(sinkAddress);
    target = peer.address;
  } else if (mode !== DIRECT) {
    proc = child('processor.ts', [sinkAddress, mode], PROCESSOR_NODE_ARGS, PROCESSOR_ENV);
    target = (await nextMessage<{ address: string }>(proc, 'ready')).address;
  }
  const spec: LoadSpec = {
    target,
    datasetFile,
    batchSize: batch,
    warmupMs: WARMUP_MS,
    durationMs: DURATION_MS,
    ...(load === 'max' ? { concurrency: CONCURRENCY } : { ratePerS }),
    ...(freshSessions ? { firstPass: MEASURED_FIRST_PASS } : {}),
  };
  if (proc && TRAINED_BY[mode]) await prime(proc, target, TRAINED_BY[mode], datasetFile);
  const usage = async (): Promise<(Partial<Usage> & Pick<Usage, 'cpuMicros' | 'rss' | 'maxRssKb'>) | undefined> =>
    proc ? await ask<Usage>(proc, 'usage') : peer?.usage();
  // CPU of the processor and the sink over the measured window, read as the generator enters and leaves it.
  const sample = async () => {
    const at = Date.now();
    const machine = machineCpu();
    return { at, machine, proc: await usage(), sink: (await ask<{ cpuMicros: number }>(sink, 'usage')).cpuMicros };
  };
  const marks: ReturnType<typeof sample>[] = [];
  const result = await generate(spec, () => marks.push(sample()));
  const [first, last] = await Promise.all(marks);
  const wallMicros = (last.at - first.at) * 1000;
  const [before, after] = [first.proc, last.proc];
  if (proc) await stop(proc);
  if (peer) await peer.stop();
  await stop(sink);
  const lat = result.latenciesMs.sort((a, b) => a - b);
  const c: BenchCase = {
    mode,
    load,
    transport: 'grpc',
    batch_records: batch,
    target_records_per_s: load === 'max' ? null : Math.round(ratePerS ?? 0),
    records_per_s: Math.round(result.records / result.seconds),
    p50_ms: round(percentile(lat, 50)),
    p99_ms: round(percentile(lat, 99)),
    requests_failed: result.failed,
    processor_cpu_pct: before && after ? round((100 * (after.cpuMicros - before.cpuMicros)) / wallMicros) : null,
    // CPU time per record forwarded: the cost, which the machine's other load moves less than the rate.
    cpu_us_per_record:
      before && after && result.records ? round((after.cpuMicros - before.cpuMicros) / result.records) : null,
    rss_mb: after ? round(after.rss / 1024 / 1024) : null,
    max_rss_mb: after ? round(after.maxRssKb / 1024) : null,
    event_loop_p99_ms: after?.loopP99Ms !== undefined ? round(after.loopP99Ms) : null,
    event_loop_max_ms: after?.loopMaxMs !== undefined ? round(after.loopMaxMs) : null,
    // The main thread busy (preempted time inside a callback included), and runnable but waiting for a core:
    // busy near 100 %, the one thread that runs the chain bounds the rate.
    main_thread_busy_pct: shareOrNull(before?.loopActiveMs, after?.loopActiveMs, wallMicros / 1000),
    main_thread_waiting_pct: shareOrNull(before?.runQueueWaitMs, after?.runQueueWaitMs, wallMicros / 1000),
    // The other two processes on the same 2 cores: when all three add up to the cores, the
    // machine, not the processor's own pacing, bounds the rate.
    loadgen_cpu_pct: round((100 * result.cpuMicros) / (spec.durationMs * 1000)),
    sink_cpu_pct: round((100 * (last.sink - first.sink)) / wallMicros),
    // The cores' idle time (100 % = one core): near 0, the machine, shared with other work, was full.
    machine_idle_pct: round(idlePct(first.machine, last.machine)),
  };
  console.log(JSON.stringify(c));
  return c;
}

/** sharePct, null where the processor did not measure it (the Collector peer, direct-to-sink). */
function shareOrNull(fromMs: number | undefined, toMs: number | undefined, wallMs: number): number | null {
  const pct = sharePct(fromMs, toMs, wallMs);
  return Number.isNaN(pct) ? null : round(pct);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const TARGET_RATE = 150_000;

/** One open-loop rate through the processor, and the same load straight into the sink as baseline. */
async function atRate(
  mode: string,
  load: Load,
  rate: number,
  datasetFile: string,
  batch: number,
): Promise<BenchCase[]> {
  const through = await runCase(mode, load, datasetFile, batch, rate);
  const direct = await runCase(DIRECT, load, datasetFile, batch, rate, TRAINED_BY[mode] !== undefined);
  through.added_p50_ms = round((through.p50_ms as number) - (direct.p50_ms as number));
  through.added_p99_ms = round((through.p99_ms as number) - (direct.p99_ms as number));
  direct.baseline_for = mode;
  return [through, direct];
}

/**
 * `ratio_to_collector` of every case at max rate: its records/s over the Collector's pass-through
 * at max rate with the same records per request, measured in the same run.
 */
function addRatios(cases: BenchCase[]): void {
  for (const c of cases) {
    if (c.load !== 'max' || c.mode === COLLECTOR) continue;
    const peer = cases.find((p) => p.mode === COLLECTOR && p.load === 'max' && p.batch_records === c.batch_records);
    if (peer) c.ratio_to_collector = round((c.records_per_s as number) / (peer.records_per_s as number));
  }
}

async function main(): Promise<void> {
  const datasetFile = join(datasetsDir(), 'hdfs', 'HDFS_20000.log');
  if (!existsSync(datasetFile)) throw new Error(`dataset not found: ${datasetFile} (use --datasets DIR)`);
  const cases: BenchCase[] = [];
  for (const mode of MODES) {
    const batches = COLLECTOR_BATCH > 0 && COLLECTOR_BATCH_MODES.has(mode) ? [BATCH, COLLECTOR_BATCH] : [BATCH];
    for (const batch of batches) {
      const max = await runCase(mode, 'max', datasetFile, batch);
      cases.push(max);
      if (MAX_ONLY || mode === DIRECT) continue;
      // Half the measured max; for pass-through also half the 150,000 records/s target.
      cases.push(...(await atRate(mode, 'half-max', (max.records_per_s as number) / 2, datasetFile, batch)));
      if (mode === 'pass-through')
        cases.push(...(await atRate(mode, 'half-target', TARGET_RATE / 2, datasetFile, batch)));
    }
  }

  addRatios(cases);
  if (MAX_ONLY) return;
  writeResults('throughput', cases);
  updateDocSection(
    'throughput',
    [
      '## Throughput (`npm run bench:throughput`)',
      '',
      `OTLP/gRPC requests of ${BATCH} HDFS log lines (\`HDFS_20000.log\`) from a load generator process, through the`,
      'processor process, to a sink process, all on the same 2 cores. `max`: closed loop with',
      `${CONCURRENCY} requests in flight; \`half-max\`: open loop at half the max rate of that mode; \`half-target\`: open loop`,
      `at ${(TARGET_RATE / 2).toLocaleString('en-US')} records/s, half the issue's ${TARGET_RATE.toLocaleString('en-US')} target. Latency is per request`,
      'as the generator sees it (round trip through processor and sink), so it bounds what the processor adds;',
      '`direct-to-sink` is the same open-loop load without the processor; `added_*` = the case above minus that baseline.',
      "`direct-to-sink` at `max` is the harness's ceiling: the generator straight into the sink, nothing between; its",
      '`ratio_to_collector` is the highest ratio any processor could show on this machine and harness.',
      'The processor runs the production build (`dist/`, as `npm start` does). The generator and sink run at nice 10, standing in for other machines. `chain` runs one stage that sets one fact per record',
      'plus the attributes stage (each record gains an attribute, so requests are re-encoded); `pass-through` has an',
      'empty chain: requests are fully validated (without building the model) and forwarded byte for byte. `mining+if` is the',
      'whole service as `npm start` runs it (template mining, Isolation Forest scoring, anomalies written to SQLite), other',
      'detectors off; `mining+lstm` adds block sessions (`blk_-?\\d+`) and the LSTM scoring every record of a session',
      '(trained live with 3 epochs). Both are primed at 10,000 records/s until the learning phase has trained a model',
      'holding the detector, so the measured window is scoring only. In these two modes each pass over the file gets',
      'fresh block ids and record times that run on (a replay would otherwise reopen every finished block, which the',
      'LSTM rightly flags, and storing those anomalies then dominates the cost); their baselines pay the same encoding.',
      "`collector` is the real OpenTelemetry Collector (collector/build.sh, the release the tests use) in the processor's",
      'place: `otlp` receiver straight to an `otlp` exporter to the same sink, with its sending queue off (so it answers',
      'after the sink accepted, as the processor does) and no compression (as the processor sends); `ratio_to_collector`',
      "is a case's max rate over the Collector's max rate with the same requests, in the same run. The Collector may use",
      'both cores (Go); `processor_cpu_pct` shows what each used.',
      `\`collector\`, \`pass-through\` and \`mining+if\` also run with requests of ${COLLECTOR_BATCH.toLocaleString('en-US')} records (\`batch_records\`), what a Collector's batch processor`,
      'sends by default once it fills its batches: the processor works through a request in one go on its event loop (a',
      "turn of the loop per request's chain, chain/turns.ts), so",
      "a request's added latency is about its own processing time plus that of the requests ahead of it.",
      'CPU is the processor',
      "process's user+system time over the run's wall time (100 % = one core), `cpu_us_per_record` the same time per record",
      "(less moved by the machine's other load than the rates); `event_loop_max_ms` is the longest the",
      "processor's event loop was blocked in the measured window (`perf_hooks.monitorEventLoopDelay`); `main_thread_busy_pct` is",
      'the share of the window its event loop was busy and `main_thread_waiting_pct` the share its main thread was runnable but',
      "waiting for a core (the kernel's schedstat; time preempted inside a callback counts in both): busy near 100 %, the one thread that runs the chain bounds the rate. The 2 cores are shared with other work, so",
      "rates move with the machine's load: compare modes within one run, as the table does. The sink offers large HTTP/2 windows as the processor does (a Collector",
      "grows its own); with grpc-js's default windows a large request waited on the event loop once per window.",
      '',
      markdownTable(cases, [
        'mode',
        'load',
        'batch_records',
        'target_records_per_s',
        'records_per_s',
        'ratio_to_collector',
        'p50_ms',
        'p99_ms',
        'added_p50_ms',
        'added_p99_ms',
        'requests_failed',
        'processor_cpu_pct',
        'cpu_us_per_record',
        'rss_mb',
        'max_rss_mb',
        'event_loop_max_ms',
        'main_thread_busy_pct',
        'main_thread_waiting_pct',
      ]),
    ].join('\n'),
  );
  updateReadmeTable();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
