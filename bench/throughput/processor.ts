/**
 * The processor under test, in its own process so its CPU and memory are measured alone.
 * argv: SINK_ADDRESS MODE (pass-through | chain | mining+if). Answers 'usage' messages with its CPU and RSS.
 * `mining+if` is the service as `npm start` runs it (startAnomalog: template mining, Isolation
 * Forest scoring after the learning phase, anomalies to SQLite), with the other detectors off.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAnomalog } from '../../collector-processor/src/anomalog';
import { forEachRecord, type AnnotationStage } from '../../collector-processor/src/annotate/stage';
import { startProcessor } from '../../collector-processor/src/processor';
import { validateConfig } from '@anomalog/shared';
import pino from 'pino';

const [sink, mode] = process.argv.slice(2);

/** The cheapest real chain: one fact per record, which the attributes stage writes as an attribute. */
const oneFactStage: AnnotationStage = {
  name: 'bench-one-fact',
  process(batch) {
    forEachRecord(batch.data, (record, _rl, _sl, i) => {
      batch.facts[i] = { service: 'hdfs', message: '', severityNumber: record.severityNumber, templateId: 'T1' };
    });
  },
};

function detectConfig() {
  const off = { enabled: false };
  const v = validateConfig({
    receiver: { grpc: { endpoint: '127.0.0.1:0' }, http: { enabled: false }, maxConcurrentRequests: 256 },
    exporter: { endpoint: sink },
    telemetry: { endpoint: '127.0.0.1:0', logLevel: 'warn' },
    store: { dataDir: mkdtempSync(join(tmpdir(), 'anomalog-bench-')) },
    api: { enabled: false },
    detection: {
      defaultModel: { detectors: { 'one-class-svm': off, lof: off, autoencoder: off, lstm: off } },
    },
  });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.value;
}

async function main(): Promise<void> {
  const v = validateConfig({
    receiver: { grpc: { endpoint: '127.0.0.1:0' }, http: { enabled: false }, maxConcurrentRequests: 256 },
    exporter: { endpoint: sink },
    telemetry: { endpoint: '127.0.0.1:0', logLevel: 'warn' },
  });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  const proc =
    mode === 'mining+if'
      ? (await startAnomalog(detectConfig(), { logger: pino({ level: 'warn' }) })).processor
      : await startProcessor(v.value, { logger: pino({ level: 'warn' }), stages: mode === 'chain' ? [oneFactStage] : [] });
  process.send?.({ type: 'ready', address: proc.grpcAddress });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'usage') {
      const cpu = process.cpuUsage();
      process.send?.({
        type: 'usage',
        cpuMicros: cpu.user + cpu.system,
        rss: process.memoryUsage().rss,
        maxRssKb: process.resourceUsage().maxRSS,
      });
    }
    if (m.type === 'stop') void proc.close().then(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
