/**
 * Test-only: the real Anomalog processor (startAnomalog) fed with the demo's multi-service logs over
 * OTLP/gRPC by the OTel JS SDK, for the browser harness. Run as a child process (`node --import tsx`)
 * so the processor's native modules and worker threads stay out of jest's module system.
 *
 * Records are spread over the last DURATION_MS so they land in the Anomalies page's default range.
 * The warm-up part (no injected anomalies) is sent first; once every service has trained and scores,
 * the rest (with injected anomalies) follows, and a fourth service (billing) sends a third of its learning
 * records so it stays in learning. Then it prints one line `READY {"api","token"}` and
 * runs until SIGTERM/SIGINT, when it closes the service and removes its temp store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { validateConfig, type ServiceSummary } from '@anomalog/shared';
import {
  buildScenario,
  DEMO_SERVICES,
  DemoSender,
  startAnomalog,
  type DemoRecord,
} from '../../collector-processor/src';

const DURATION_MS = 10 * 60_000;
const RATE = 6; // records/s over DURATION_MS: ~3600 records, ~1200 per service
const WARMUP_SHARE = 0.4; // ~480 warm-up records per service, more than LEARN_RECORDS
const LEARN_RECORDS = 300;
const TOKEN = 'harness-token';
const LEARNING_SERVICE = 'billing';

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'anomalog-harness-'));
  // An empty datasets dir: like a fresh clone, benchmarks run on uploaded files only.
  const datasetsDir = mkdtempSync(join(tmpdir(), 'anomalog-harness-datasets-'));
  const cfg = validateConfig({
    receiver: { grpc: { endpoint: '127.0.0.1:0' }, http: { endpoint: '127.0.0.1:0' } },
    telemetry: { endpoint: '127.0.0.1:0' },
    store: { dataDir },
    api: { endpoint: '127.0.0.1:0', token: TOKEN, auth: 'on', datasetsDir },
    // 5 s windows: the learning records make enough windows for the session/window count models to train
    detection: { defaultModel: { learning: { records: LEARN_RECORDS }, sessionKey: { windowSeconds: 5 } } },
  });
  if (!cfg.ok) throw new Error(`config: ${JSON.stringify(cfg.errors)}`);
  const service = await startAnomalog(cfg.value, { logger: pino({ level: 'warn' }) });
  const apiUrl = service.api!.url;
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${apiUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as T;
  };

  const { records } = buildScenario({
    durationMs: DURATION_MS,
    rate: RATE,
    services: DEMO_SERVICES,
    anomalies: ['unseen', 'sequence', 'burst'],
    warmupShare: WARMUP_SHARE,
    seed: 42,
  });
  const sender = new DemoSender(service.processor.grpcAddress);
  const startedAt = Date.now() - DURATION_MS;
  const send = (part: DemoRecord[]) => part.forEach((r) => sender.emit(r, startedAt));
  const warmup = records.filter((r) => r.atMs < DURATION_MS * WARMUP_SHARE);
  send(warmup);
  await waitFor('every service scoring', async () => {
    const list = await get<ServiceSummary[]>('/services');
    return list.length === DEMO_SERVICES.length && list.every((s) => s.status === 'scoring') ? list : undefined;
  });
  // A fourth service that is still learning (a third of its learning records), for the "model still
  // learning" states: the demo's worker lines under another name.
  const learning = records.filter((r) => r.service === 'worker').slice(0, LEARN_RECORDS / 3);
  send(learning.map((r) => ({ ...r, service: LEARNING_SERVICE })));
  send(records.slice(warmup.length));
  await sender.close(); // flushes the SDK's batches
  await waitFor('anomalies of every service', async () => {
    const list = await get<ServiceSummary[]>('/services');
    const scoring = list.filter((s) => s.service !== LEARNING_SERVICE);
    const learner = list.find((s) => s.service === LEARNING_SERVICE);
    return scoring.every((s) => s.anomalies > 0) && learner?.recordsSeen === learning.length ? list : undefined;
  });
  await service.manager?.idle();

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(datasetsDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
  // If the test runner dies without stopping us, do not outlive it.
  const parent = process.ppid;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      void close();
    }
  }, 1000).unref();
  process.stdout.write(
    `READY ${JSON.stringify({ api: apiUrl, token: TOKEN, learningService: LEARNING_SERVICE, otlpHttp: service.processor.httpAddress })}\n`,
  );
}

main().catch((err: Error) => {
  process.stderr.write(`realProcessor: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
