/**
 * The processor under test, in its own process so its CPU and memory are measured alone.
 * argv: SINK_ADDRESS MODE (pass-through | chain). Answers 'usage' messages with its CPU and RSS.
 */
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

async function main(): Promise<void> {
  const v = validateConfig({
    receiver: { grpc: { endpoint: '127.0.0.1:0' }, http: { enabled: false }, maxConcurrentRequests: 256 },
    exporter: { endpoint: sink },
    telemetry: { endpoint: '127.0.0.1:0', logLevel: 'warn' },
  });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  const proc = await startProcessor(v.value, {
    logger: pino({ level: 'warn' }),
    stages: mode === 'chain' ? [oneFactStage] : [],
  });
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
