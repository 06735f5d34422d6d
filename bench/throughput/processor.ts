/**
 * The processor under test, in its own process so its CPU and memory are measured alone.
 * argv: SINK_ADDRESS MODE (pass-through | chain | mining+if | mining+lstm). Answers 'usage' messages
 * with its CPU and RSS, and 'model' messages with the detectors of the active model version.
 * `mining+if` is the service as `npm start` runs it (startAnomalog: template mining, Isolation
 * Forest scoring after the learning phase, anomalies to SQLite), with the other detectors off.
 * `mining+lstm` adds block sessions (`blk_-?\d+`) and the LSTM scoring each session's records.
 * The processor's code is the production build that `npm start` runs (processor-code.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { validateConfig } from '@anomalog/shared';
import pino from 'pino';
import type { AnnotationStage, ParsedRecord } from '../../collector-processor/src';
import { processorCode } from './processor-code';

const [sink, mode] = process.argv.slice(2);
const { startAnomalog, startProcessor, createAttributesStage, forEachRecord } = processorCode();

const ONE_TEMPLATE: ParsedRecord = {
  service: 'hdfs',
  message: '',
  severityNumber: 0,
  templateId: 'T1',
  template: 'T1',
  newTemplate: false,
  tokens: 0,
  timeMs: 0,
};

/** The cheapest real chain: one parse output for every record, which the attributes stage writes as attributes. */
const oneFactStage: AnnotationStage = {
  name: 'bench-one-fact',
  process(batch) {
    forEachRecord(batch.data, (_record, _rl, _sl, i) => {
      batch.parsed.set(i, ONE_TEMPLATE);
    });
  },
};

/**
 * Extra processor settings for A/B runs (BENCH_PROCESSOR_CONFIG, JSON): its `receiver` and `exporter`
 * keys are merged over the bench's own, e.g. {"receiver":{"grpc":{"maxConcurrentStreams":8}}}.
 */
const EXTRA = JSON.parse(process.env.BENCH_PROCESSOR_CONFIG ?? '{}') as {
  receiver?: { grpc?: object };
  exporter?: object;
};
const receiverConfig = () => ({
  ...EXTRA.receiver,
  grpc: { ...EXTRA.receiver?.grpc, endpoint: '127.0.0.1:0' },
  http: { enabled: false },
  maxConcurrentRequests: 256,
});
const exporterConfig = () => ({ ...EXTRA.exporter, endpoint: sink });

/** LSTM epochs of the live training in `mining+lstm` (BENCH_LSTM_EPOCHS): only the scoring is measured. */
const LSTM_EPOCHS = Number(process.env.BENCH_LSTM_EPOCHS ?? 3);

// The service's store for this run, removed when the harness stops the process.
const dataDir = mkdtempSync(join(tmpdir(), 'anomalog-bench-'));

function detectConfig(withLstm: boolean) {
  const off = { enabled: false };
  const lstm = withLstm ? { enabled: true, params: { epochs: LSTM_EPOCHS } } : off;
  const sessionKey = withLstm ? { kind: 'regex', regex: 'blk_-?\\d+' } : undefined;
  const v = validateConfig({
    receiver: receiverConfig(),
    exporter: exporterConfig(),
    // No OTLP metrics push: the sink takes logs only.
    telemetry: { endpoint: '127.0.0.1:0', logLevel: 'warn', otlpMetricsIntervalS: 0 },
    store: { dataDir },
    api: { enabled: false },
    detection: {
      defaultModel: { sessionKey, detectors: { 'one-class-svm': off, lof: off, autoencoder: off, lstm } },
    },
  });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.value;
}

async function main(): Promise<void> {
  const v = validateConfig({
    receiver: receiverConfig(),
    exporter: exporterConfig(),
    telemetry: { endpoint: '127.0.0.1:0', logLevel: 'warn' },
  });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  const service = mode.startsWith('mining+')
    ? await startAnomalog(detectConfig(mode === 'mining+lstm'), { logger: pino({ level: 'warn' }) })
    : undefined;
  const proc =
    service?.processor ??
    (await startProcessor(v.value, {
      logger: pino({ level: 'warn' }),
      stages: mode === 'chain' ? [oneFactStage, createAttributesStage()] : [],
    }));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  }).observe({ entryTypes: ['gc'] });
  // Requests in the chain or waiting on the downstream, sampled: with the loop idle and every stream
  // of the connection taken, the stream limit (not the machine) holds the rate.
  const inflight = { sum: 0, samples: 0 };
  setInterval(() => {
    void proc.metrics.inflightRequests.get().then((g) => {
      inflight.sum += g.values[0]?.value ?? 0;
      inflight.samples++;
    });
  }, 5).unref();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  process.send?.({ type: 'ready', address: proc.grpcAddress });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'usage') {
      const cpu = process.cpuUsage();
      process.send?.({
        type: 'usage',
        cpuMicros: cpu.user + cpu.system,
        rss: process.memoryUsage().rss,
        heapUsed: process.memoryUsage().heapUsed,
        external: process.memoryUsage().external,
        heapTotal: v8.getHeapStatistics().total_heap_size,
        maxRssKb: process.resourceUsage().maxRSS,
        templates: service?.miner.size,
        sessionsOpen: service?.manager?.openSessions(),
        loopP99Ms: loop.percentile(99) / 1e6,
        loopActiveMs: performance.eventLoopUtilization().active,
        runQueueWaitMs: runQueueWaitMs(),
        gcMs,
        inflightSum: inflight.sum,
        inflightSamples: inflight.samples,
        loopMaxMs: loop.max / 1e6,
      });
      loop.reset();
      windowProfile();
    }
    if (m.type === 'model')
      void activeDetectors(service).then((detectors) => process.send?.({ type: 'model', detectors }));
    if (m.type === 'stop')
      void proc.close().then(() => {
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
  });
}

/**
 * BENCH_PROFILE_DIR: a CPU profile of the measured window (between the two 'usage' questions the
 * harness asks as the generator enters and leaves it) is written there, without start-up and priming.
 */
/** Garbage-collection pauses of the main thread since start, ms. */
let gcMs = 0;

const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
let profiler: Session | undefined;
function windowProfile(): void {
  if (!PROFILE_DIR) return;
  if (!profiler) {
    profiler = new Session();
    profiler.connect();
    profiler.post('Profiler.enable', () => profiler!.post('Profiler.start'));
    return;
  }
  const session = profiler;
  profiler = undefined;
  session.post('Profiler.stop', (err, res) => {
    if (!err) writeFileSync(join(PROFILE_DIR, `${mode}-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    session.disconnect();
  });
}

/**
 * Time the main thread spent runnable but waiting for a core (the kernel's schedstat): the
 * machine's other load, not our own waits, when the loop is busy but the CPU time low.
 */
function runQueueWaitMs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return undefined;
  }
}

/** Detectors of the active model version of the (one) service, [] while it still learns. */
async function activeDetectors(service: Awaited<ReturnType<typeof startAnomalog>> | undefined): Promise<string[]> {
  const manager = service?.manager;
  const summary = manager?.services()[0];
  if (!manager || summary?.activeVersion === undefined) return [];
  const versions = await manager.versions(summary.service);
  return versions.find((v) => v.active)?.detectors ?? [];
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
