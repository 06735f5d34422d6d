/**
 * Real processes on loopback for the Collector tests: the OpenTelemetry Collector that
 * collector/build.sh builds, and the processor as `bin/anomalog.js` runs it. Every process a test
 * starts is registered and killed by `stopAll()`, so a failing test leaves nothing running.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';

export const ROOT = join(__dirname, '..', '..', '..');
const BUILD_SCRIPT = join(ROOT, 'collector', 'build.sh');

/** Building the Collector from scratch takes minutes on a 2-core machine; CI builds it before the tests. */
export const BUILD_TIMEOUT_MS = 40 * 60_000;

let binary: string | undefined;

/** The Collector binary; builds it (collector/build.sh) when missing or older than the manifest. */
export function collectorBinary(): string {
  binary ??= execFileSync('bash', [BUILD_SCRIPT], {
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return binary;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
const scratch: string[] = [];

/** A fresh temp directory, removed by stopAll(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `anomalog-${prefix}-`));
  scratch.push(dir);
  return dir;
}

/** Kill every process still running and remove the temp directories. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => killProcess(p, 'SIGKILL')));
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((done) => proc.once('exit', (code) => done(code)));
}

/** Signal the process and wait for it to exit (SIGKILL after 15 s if a gentler signal is ignored). */
async function killProcess(proc: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  const done = exited(proc);
  proc.kill(signal);
  const force = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  try {
    return await done;
  } finally {
    clearTimeout(force);
  }
}

function track(proc: ChildProcess): void {
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
}

/** Waits for a line matching `ready` on a stream, failing if the process exits or the deadline passes. */
function waitForLine<T>(
  proc: ChildProcess,
  stream: NodeJS.ReadableStream,
  ready: (line: string) => T | undefined,
  what: string,
  output: () => string,
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${what} not ready after ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const lines = createInterface({ input: stream });
    lines.on('line', (line) => {
      const value = ready(line);
      if (value === undefined) return;
      clearTimeout(timer);
      lines.removeAllListeners('line');
      resolve(value);
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code ?? signal}) before it was ready:\n${output()}`));
    });
  });
}

export interface RunningCollector {
  readonly name: string;
  readonly configPath: string;
  /** Everything the Collector logged so far. */
  log(): string;
  /** Rewrites the config file and sends SIGHUP (the Collector reloads it); resolves once it is ready again. */
  reload(config: Record<string, unknown>): Promise<void>;
  /** SIGTERM: the Collector drains its pipelines and exits. */
  stop(): Promise<number | null>;
  kill(): Promise<number | null>;
}

/**
 * Starts the Collector with `config` (an object written as YAML). Its own telemetry server is off,
 * so several Collectors run side by side; resolves once it logs that every pipeline is ready.
 */
export async function startCollector(name: string, config: Record<string, unknown>): Promise<RunningCollector> {
  const dir = tempDir(`otelcol-${name.replace(/\W/g, '-')}`);
  const configPath = join(dir, 'config.yaml');
  const write = (c: Record<string, unknown>) => {
    const service = (c.service ?? {}) as Record<string, unknown>;
    const telemetry = { metrics: { level: 'none' }, logs: { level: 'info' } };
    writeFileSync(configPath, stringify({ ...c, service: { ...service, telemetry } }));
  };
  write(config);
  const proc = spawn(collectorBinary(), [`--config=${configPath}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(proc);
  const out: string[] = [];
  proc.stdout!.on('data', (c: Buffer) => out.push(c.toString()));
  const log = () => out.join('');
  const stderr = proc.stderr!;
  stderr.on('data', (c: Buffer) => out.push(c.toString()));
  await waitForLine(
    proc,
    stderr,
    (l) => (l.includes('Everything is ready') ? true : undefined),
    `Collector ${name}`,
    log,
  );
  const readyCount = () => log().split('Everything is ready').length - 1;
  return {
    name,
    configPath,
    log,
    reload: async (next) => {
      const before = readyCount();
      write(next);
      proc.kill('SIGHUP');
      await waitUntil(() => readyCount() > before, 60_000, `Collector ${name} reloaded`);
    },
    stop: () => killProcess(proc, 'SIGTERM'),
    kill: () => killProcess(proc, 'SIGKILL'),
  };
}

/** Runs `otelcol validate` on one or more config files (merged in order, as the Collector does). */
export function validateCollectorConfig(files: string[]): { ok: boolean; output: string } {
  try {
    const output = execFileSync(collectorBinary(), ['validate', ...files.map((f) => `--config=${f}`)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    return { ok: true, output };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message };
  }
}

export interface RunningProcessor {
  /** host:port of its OTLP/gRPC receiver. */
  readonly grpc: string;
  /** host:port of its HTTP API. */
  readonly api: string;
  /** host:port of its telemetry server (/metrics). */
  readonly telemetry: string;
  log(): string;
  stop(): Promise<number | null>;
  kill(): Promise<number | null>;
}

export interface ProcessorOptions {
  /** OTLP/gRPC receiver port (fixed, so a restarted processor is found where the Collector sends). */
  grpcPort: number;
  /** host:port of the downstream Collector's OTLP/gRPC receiver. */
  downstream: string;
  /** PostgreSQL URL; the embedded SQLite store in a temp dir when absent. */
  postgresUrl?: string;
  /** SQLite data directory to keep across restarts. */
  dataDir?: string;
  extraArgs?: string[];
}

/** The processor as `bin/anomalog.js` runs it (what `npm start` and the image run), in its own process. */
export async function startProcessor(options: ProcessorOptions): Promise<RunningProcessor> {
  const store = options.postgresUrl
    ? ['--store.kind=postgres', `--store.postgresUrl=${options.postgresUrl}`]
    : ['--store.kind=sqlite', `--store.dataDir=${options.dataDir ?? tempDir('store')}`];
  const proc = spawn(
    process.execPath,
    [
      join(ROOT, 'collector-processor', 'bin', 'anomalog.js'),
      ...store,
      `--receiver.grpc.endpoint=127.0.0.1:${options.grpcPort}`,
      '--receiver.http.enabled=false',
      '--telemetry.endpoint=127.0.0.1:0',
      '--api.endpoint=127.0.0.1:0',
      `--exporter.endpoint=${options.downstream}`,
      '--detection.defaultModel.learning.records=300',
      ...(options.extraArgs ?? []),
    ],
    { cwd: ROOT, env: { ...process.env, ANOMALOG_TF_BACKEND: 'cpu' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  track(proc);
  const out: string[] = [];
  proc.stderr!.on('data', (c: Buffer) => out.push(c.toString()));
  const log = () => out.join('');
  let grpc = '';
  let api = '';
  let telemetry = '';
  await waitForLine(
    proc,
    proc.stdout!,
    (line) => {
      out.push(line + '\n');
      if (!line.startsWith('{')) return undefined;
      const msg = JSON.parse(line) as { msg: string; grpc?: string; api?: string; telemetry?: string };
      if (msg.msg === 'anomalog processor started') [grpc, telemetry] = [msg.grpc!, msg.telemetry!];
      if (msg.msg === 'API listening') api = msg.api!;
      return grpc && api ? true : undefined;
    },
    'processor',
    log,
    120_000,
  );
  proc.stdout!.on('data', (c: Buffer) => out.push(c.toString()));
  return {
    grpc,
    api,
    telemetry,
    log,
    stop: () => killProcess(proc, 'SIGTERM'),
    kill: () => killProcess(proc, 'SIGKILL'),
  };
}

/** POST an OTLP/JSON logs request to a Collector's OTLP/HTTP receiver; resolves to the HTTP status. */
export function postLogs(endpoint: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `http://${endpoint}/v1/logs`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: 30_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

export async function getJson<T>(address: string, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    request(`http://${address}${path}`, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as T));
    })
      .on('error', reject)
      .end();
  });
}

/** Poll until `check` holds or the deadline passes. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** OTLP/JSON as the Collector's `file` exporter writes it: one ExportLogsServiceRequest per line. */
export interface JsonKeyValue {
  key: string;
  value: Record<string, unknown>;
}
export interface JsonLogRecord {
  attributes?: JsonKeyValue[];
  body?: Record<string, unknown>;
  [field: string]: unknown;
}
export interface JsonLogsRequest {
  resourceLogs: {
    resource?: { attributes?: JsonKeyValue[]; [field: string]: unknown };
    schemaUrl?: string;
    scopeLogs: { scope?: Record<string, unknown>; schemaUrl?: string; logRecords: JsonLogRecord[] }[];
  }[];
}

/** A record as it arrived downstream, with the resource and scope it came under. */
export interface ArrivedRecord {
  resource: JsonLogsRequest['resourceLogs'][number];
  scope: JsonLogsRequest['resourceLogs'][number]['scopeLogs'][number];
  record: JsonLogRecord;
}

/** Every record in a `file` exporter's output so far (a line still being written is skipped). */
export function readFileExport(path: string): ArrivedRecord[] {
  if (!existsSync(path)) return [];
  const out: ArrivedRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let req: JsonLogsRequest;
    try {
      req = JSON.parse(line) as JsonLogsRequest;
    } catch {
      continue;
    }
    for (const resource of req.resourceLogs ?? [])
      for (const scope of resource.scopeLogs ?? [])
        for (const record of scope.logRecords ?? []) out.push({ resource, scope, record });
  }
  return out;
}

export function attribute(attrs: JsonKeyValue[] | undefined, key: string): Record<string, unknown> | undefined {
  return attrs?.find((kv) => kv.key === key)?.value;
}
