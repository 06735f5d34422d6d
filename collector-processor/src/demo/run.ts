import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ATTR, validateConfig } from '@anomalog/shared';
import pino from 'pino';
import { startAnomalog } from '../anomalog';
import { buildScenario, type AnomalyKind, type Injection } from './scenario';
import { DemoSender } from './sender';
import { DemoSink, isAnomaly, type SeenRecord } from './sink';
import { type DemoService } from './services';

export interface DemoOptions {
  durationMs: number;
  rate: number;
  services: readonly DemoService[];
  anomalies: readonly AnomalyKind[];
  seed: number;
  /** Send to this OTLP/gRPC endpoint instead of an in-process processor (load tests, compose). */
  endpoint?: string;
  print: (line: string) => void;
}

export interface DemoSummary {
  sent: number;
  received: number;
  injections: Injection[];
  /** Injected sessions with at least one record flagged as anomalous. */
  found: Injection[];
  /** Flagged records that belong to no injected session. */
  falseAlarms: number;
  detectionActive: boolean;
}

/** Session ids in the demo's messages (block, request and job ids). */
export const DEMO_SESSION_REGEX = '(?:blk_|req-|job-)[0-9a-f]+';

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Runs the demo: processor (unless an endpoint is given), generator over OTLP, sink, summary. */
export async function runDemo(opts: DemoOptions): Promise<DemoSummary> {
  const { records, injections } = buildScenario({ ...opts, warmupShare: 0.4 });
  const sink = new DemoSink();
  let target = opts.endpoint;
  let close = async () => {};
  if (!target) {
    const sinkUrl = await sink.start();
    // Each service learns on half its share of the warm-up (the first 40 % of the run, no injections),
    // leaving the other half for training to finish before the first injected anomaly.
    const perService = (opts.rate * opts.durationMs) / 1000 / Math.max(1, opts.services.length);
    const learn = Math.max(100, Math.floor(perService * 0.4 * 0.5));
    const dataDir = mkdtempSync(join(tmpdir(), 'anomalog-demo-'));
    const cfg = validateConfig({
      receiver: { grpc: { endpoint: '127.0.0.1:0' }, http: { endpoint: '127.0.0.1:0' } },
      exporter: { endpoint: sinkUrl, protocol: 'http/protobuf' },
      // The demo's sink takes logs only: metrics stay on /metrics.
      telemetry: { endpoint: '127.0.0.1:0', otlpMetricsIntervalS: 0 },
      store: { dataDir },
      api: { endpoint: '127.0.0.1:0' },
      detection: {
        defaultModel: {
          learning: { records: learn },
          // The demo's services name their sessions: storage blocks, web requests, worker jobs.
          sessionKey: { kind: 'regex', regex: DEMO_SESSION_REGEX },
        },
      },
    });
    if (!cfg.ok) throw new Error(`demo config: ${JSON.stringify(cfg.errors)}`);
    const service = await startAnomalog(cfg.value, { logger: pino({ level: 'warn' }) });
    const proc = service.processor;
    target = proc.grpcAddress;
    close = async () => {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
    opts.print(
      `processor listening on ${proc.grpcAddress} (metrics: http://${proc.telemetryAddress}/metrics, API: ${service.api?.url}/api/v1); each service learns on its first ${learn} records`,
    );
  }
  const bySession = new Map(injections.map((i) => [i.sessionId, i]));
  const found = new Set<Injection>();
  let falseAlarms = 0;
  sink.onRecord = (r: SeenRecord) => {
    if (!isAnomaly(r)) return;
    const inj = [...bySession.values()].find((i) => r.body.includes(i.sessionId));
    if (inj) found.add(inj);
    else falseAlarms++;
    opts.print(
      `  ANOMALY ${r.service}: ${r.body}  (${r.attributes[ATTR.reason] ?? r.attributes[ATTR.detector]})${inj ? `  [injected ${inj.kind}]` : ''}`,
    );
  };
  const sender = new DemoSender(target);
  const start = Date.now();
  let lastReport = start;
  for (const r of records) {
    const wait = start + r.atMs - Date.now();
    if (wait > 0) await sleep(wait);
    sender.emit(r, start);
    if (Date.now() - lastReport >= 5000) {
      lastReport = Date.now();
      opts.print(
        `${Math.round((lastReport - start) / 1000)}s: sent ${records.indexOf(r) + 1}/${records.length}, back from processor ${sink.records.length}`,
      );
    }
  }
  await sender.close();
  if (!opts.endpoint) {
    const deadline = Date.now() + 5000;
    while (sink.records.length < records.length && Date.now() < deadline) await sleep(100);
  }
  await close();
  await sink.close();
  return {
    sent: records.length,
    received: sink.records.length,
    injections,
    found: [...found],
    falseAlarms,
    detectionActive: sink.detectionActive(),
  };
}

export function formatSummary(s: DemoSummary, inProcess: boolean): string[] {
  const lines = [`sent ${s.sent} records; ${s.injections.length} anomalies injected:`];
  for (const i of s.injections) {
    const hit = s.found.includes(i) ? 'FOUND' : 'missed';
    lines.push(`  ${(i.atMs / 1000).toFixed(1)}s ${i.service} ${i.kind} (${i.sessionId}): ${inProcess ? hit : 'sent'}`);
  }
  if (!inProcess) return lines;
  lines.push(`received back from the processor: ${s.received}`);
  if (!s.detectionActive) {
    lines.push('detection is not active in this build: records passed through unscored, so nothing could be found.');
  } else {
    lines.push(
      `found ${s.found.length}/${s.injections.length} injected anomalies; ${s.falseAlarms} other records flagged`,
    );
  }
  return lines;
}
