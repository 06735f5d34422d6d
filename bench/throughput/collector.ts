/**
 * The real OpenTelemetry Collector (collector/build.sh) as a peer of the processor in
 * bench:throughput: OTLP/gRPC in, `otlp` exporter out to the same sink, nothing in between, so it
 * does what the processor's pass-through does. Its sending queue is off, so it answers a request
 * only after the sink accepted it, as the processor does (with the queue on it would answer on
 * enqueue and its latency would not include the sink), and it sends uncompressed, as the processor
 * does by default (the `otlp` exporter's default is gzip).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';

const ROOT = resolve(__dirname, '..', '..');

export interface CollectorPeer {
  address: string;
  /** CPU time (user+system, µs) and memory of the Collector process, from /proc. */
  usage(): { cpuMicros: number; rss: number; maxRssKb: number };
  stop(): Promise<void>;
}

let binary: string | undefined;

/** Builds the Collector when it is missing or older than its manifest; its path. */
export function collectorBinary(): string {
  binary ??= execFileSync('bash', [join(ROOT, 'collector', 'build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return binary;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

function procUsage(pid: number): { cpuMicros: number; rss: number; maxRssKb: number } {
  // /proc/PID/stat fields 14 and 15 (utime, stime) in clock ticks; the comm field may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  const CLK_TCK = 100;
  return { cpuMicros: (ticks * 1e6) / CLK_TCK, rss: kb('VmRSS') * 1024, maxRssKb: kb('VmHWM') };
}

export async function startCollectorPeer(sink: string): Promise<CollectorPeer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-bench-otelcol-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    stringify({
      receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${port}`, max_recv_msg_size_mib: 64 } } } },
      exporters: {
        otlp: {
          endpoint: sink,
          tls: { insecure: true },
          compression: 'none',
          sending_queue: { enabled: false },
          retry_on_failure: { enabled: false },
        },
      },
      service: {
        pipelines: { logs: { receivers: ['otlp'], exporters: ['otlp'] } },
        telemetry: { metrics: { level: 'none' }, logs: { level: 'info' } },
      },
    }),
  );
  const proc: ChildProcess = spawn(collectorBinary(), [`--config=${config}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  await new Promise<void>((res, rej) => {
    const lines = createInterface({ input: proc.stderr! });
    lines.on('line', (line) => {
      log.push(line);
      if (line.includes('Everything is ready')) res();
    });
    proc.once('exit', (code) => rej(new Error(`Collector exited (${code}) before it was ready:\n${log.join('\n')}`)));
  });
  return {
    address: `127.0.0.1:${port}`,
    usage: () => procUsage(proc.pid!),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
