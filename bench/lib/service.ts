import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEnv } from './start-script';

/**
 * The real service in a child process, started as `npm start` starts it (its environment, node with
 * the heap cap, tsx, src/main.ts), on loopback ports picked by the OS. Used by `npm run bench:chaos` and by the
 * tests that kill it.
 */
const PROCESSOR_DIR = resolve(__dirname, '..', '..', 'collector-processor');

export interface ChildService {
  readonly child: ChildProcess;
  readonly pid: number;
  /** host:port of the OTLP/gRPC receiver. */
  readonly grpc: string;
  /** host:port of the OTLP/HTTP receiver. */
  readonly http: string;
  /** host:port of the API (undefined when disabled). */
  readonly api: string | undefined;
  /** host:port of /metrics. */
  readonly telemetry: string;
  /** Everything the service logged so far (JSON lines). */
  log(): string;
  /** Resolves with the exit code (or the signal's name) when it ends. */
  readonly exited: Promise<number | string>;
  /** Resident set size now, from /proc (MB). */
  rssMb(): number;
  kill(signal: NodeJS.Signals): void;
}

export interface ChildServiceOptions {
  /** Extra `--key=value` arguments. */
  args?: string[];
  /** V8 old-space cap, as ANOMALOG_MAX_HEAP_MB gives `npm start` (default 384). */
  heapMb?: number;
  /** How long start-up may take. */
  startTimeoutMs?: number;
}

export const DEFAULT_HEAP_MB = 384;

export async function startChildService(o: ChildServiceOptions = {}): Promise<ChildService> {
  const heapMb = o.heapMb ?? DEFAULT_HEAP_MB;
  const args = [
    '--receiver.grpc.endpoint=127.0.0.1:0',
    '--receiver.http.endpoint=127.0.0.1:0',
    '--telemetry.endpoint=127.0.0.1:0',
    '--api.endpoint=127.0.0.1:0',
    ...(o.args ?? []),
  ];
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, '--import', 'tsx', join('src', 'main.ts'), ...args],
    { cwd: PROCESSOR_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...startEnv(), ANOMALOG_API_TOKEN: '' } },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | string>((r) => child.on('exit', (code, signal) => r(code ?? signal ?? -1)));
  const line = (msg: string): Record<string, unknown> | undefined => {
    for (const l of out.split('\n')) {
      if (!l.startsWith('{')) continue;
      try {
        const j = JSON.parse(l) as Record<string, unknown>;
        if (j.msg === msg) return j;
      } catch {
        // a line cut by the kill
      }
    }
    return undefined;
  };
  const deadline = Date.now() + (o.startTimeoutMs ?? 60_000);
  let started: Record<string, unknown> | undefined;
  let api: Record<string, unknown> | undefined;
  const apiOn = !args.includes('--api.enabled=false');
  while (!(started = line('anomalog processor started')) || (apiOn && !(api = line('API listening')))) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`service exited during start-up:\n${out.slice(-4000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service did not start in time:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    pid: child.pid!,
    grpc: String(started.grpc),
    http: String(started.http),
    telemetry: String(started.telemetry),
    api: api ? String(api.api) : undefined,
    log: () => out,
    exited,
    rssMb: () => rssMbOf(child.pid!),
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Resident set size of a live process (MB); 0 once it has gone. */
export function rssMbOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
