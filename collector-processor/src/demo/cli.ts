import { ANOMALY_KINDS, type AnomalyKind } from './scenario';
import { DEMO_SERVICES, serviceByName } from './services';
import { formatSummary, runDemo } from './run';

const USAGE = `Usage: npm run demo -- [--duration=SECONDS] [--rate=RECORDS_PER_S] [--services=storage,web,worker]
                      [--anomalies=unseen,sequence,burst] [--seed=N] [--endpoint=HOST:PORT]
Without --endpoint, starts the processor in-process on loopback and shows what it finds.
With --endpoint, only generates load towards that OTLP/gRPC endpoint (load tests, compose).`;

function flags(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unexpected argument "${a}"\n${USAGE}`);
    out.set(m[1], m[2] ?? 'true');
  }
  return out;
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const f = flags(process.argv.slice(2));
  if (f.has('help')) return void console.log(USAGE);
  const anomalies = (f.get('anomalies') ?? ANOMALY_KINDS.join(','))
    .split(',')
    .filter(Boolean)
    .map((k) => {
      if (!ANOMALY_KINDS.includes(k as AnomalyKind)) throw new Error(`unknown anomaly kind "${k}"`);
      return k as AnomalyKind;
    });
  const services = f.has('services') ? f.get('services')!.split(',').map(serviceByName) : DEMO_SERVICES;
  const endpoint = f.get('endpoint');
  const opts = {
    durationMs: positive('duration', f.get('duration'), 75) * 1000,
    rate: positive('rate', f.get('rate'), 200),
    seed: positive('seed', f.get('seed'), 42),
    services,
    anomalies,
    endpoint,
    print: (l: string) => console.log(l),
  };
  console.log(
    `Anomalog demo: ${opts.durationMs / 1000}s at ${opts.rate} records/s, services ${services.map((s) => s.name).join(', ')}`,
  );
  const summary = await runDemo(opts);
  for (const line of formatSummary(summary, !endpoint)) console.log(line);
}

main().catch((err: unknown) => {
  console.error(process.env.DEBUG && err instanceof Error ? err.stack : err instanceof Error ? err.message : err);
  process.exit(1);
});
