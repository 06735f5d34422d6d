import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { APP_DIR } from './browser';

/** What harness/realProcessor.ts reports once its services score and have anomalies. */
export interface RealProcessor {
  api: string;
  token: string;
  learningService: string;
  /** The processor's OTLP/HTTP receiver, "host:port" (send records with POST /v1/logs). */
  otlpHttp: string;
  /** GET an API path (under /api/v1) with the token, as JSON; throws on a non-200 answer. */
  get<T>(apiPath: string): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts harness/realProcessor.ts in a child process (`node --import tsx`, from the repository root)
 * and resolves when it prints its READY line; kills it and rejects when that takes over `timeoutMs`.
 */
export function startRealProcessor(timeoutMs = 120_000): Promise<RealProcessor> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(APP_DIR, 'harness', 'realProcessor.ts')],
    { cwd: path.resolve(APP_DIR, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await exited;
    }
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) {
        const ready = JSON.parse(line.slice('READY '.length)) as Omit<RealProcessor, 'get' | 'stop'>;
        const get = async <T>(apiPath: string): Promise<T> => {
          const res = await fetch(`${ready.api}/api/v1${apiPath}`, {
            headers: { authorization: `Bearer ${ready.token}` },
          });
          if (res.status !== 200) {
            throw new Error(`GET ${apiPath}: ${res.status} ${await res.text()}`);
          }
          return (await res.json()) as T;
        };
        resolve({ ...ready, get, stop });
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`realProcessor not ready after ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stdout!.on('data', () => out.includes('READY ') && clearTimeout(timer));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`realProcessor exited ${code}: ${stderr}`));
    });
  });
}

/** Polls `check` every 100 ms until it holds (the page acts on the API asynchronously). */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
}
