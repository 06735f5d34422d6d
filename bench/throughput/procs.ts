/**
 * The bench's child processes (load generator, processor under test, sink) and their IPC: start,
 * ask, stop, and priming a processor until its model holds a detector. Used by bench:throughput
 * and bench:memory.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, setPriority } from 'node:os';
import { join } from 'node:path';
import { startEnv, startFlags } from '../lib/start-script';
import type { LoadResult, LoadSpec } from './loadgen';

const HERE = __dirname;
/** Records per request (BENCH_BATCH; a Collector's batch processor sends up to 8,192 by default). */
export const BATCH = Number(process.env.BENCH_BATCH ?? 512);

export interface Usage {
  cpuMicros: number;
  rss: number;
  /** V8 heap in use and memory outside it (buffers, wasm), to tell where the RSS goes. */
  heapUsed: number;
  /** V8 heap committed (used + free): RSS the heap holds. */
  heapTotal: number;
  external: number;
  maxRssKb: number;
  /** Templates the miner holds and sessions open (service modes only). */
  templates?: number;
  sessionsOpen?: number;
  /** Event-loop delay since the previous 'usage' answer: how long the processor's loop was blocked. */
  loopP99Ms: number;
  loopMaxMs: number;
  /** Event-loop active time since start (performance.eventLoopUtilization), ms. */
  loopActiveMs?: number;
  /** Time the main thread waited for a core since start (Linux schedstat), ms. */
  runQueueWaitMs?: number;
  /** Garbage-collection pauses since start, ms. */
  gcMs?: number;
  /** Requests in process, summed over samples every 5 ms, and the number of samples. */
  inflightSum?: number;
  inflightSamples?: number;
}

export function child(
  file: string,
  args: string[] = [],
  nodeArgs: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess {
  return fork(join(HERE, file), args, {
    env,
    execArgv: ['--import', 'tsx', ...nodeArgs],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/**
 * Node flags of the processor process: those `npm start` runs the service with, then any extra
 * ones, e.g. BENCH_PROCESSOR_NODE_ARGS=--trace-gc (a later flag wins).
 */
export const PROCESSOR_NODE_ARGS = [
  ...startFlags(),
  ...(process.env.BENCH_PROCESSOR_NODE_ARGS ?? '').split(' ').filter(Boolean),
];

/** Environment of the processor process: the one `npm start` gives the service (allocator settings). */
export const PROCESSOR_ENV = startEnv();

export function nextMessage<T>(proc: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== type) return;
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) => reject(new Error(`${proc.spawnfile} exited (${code}) before "${type}"`));
    proc.on('message', onMessage);
    proc.once('exit', onExit);
  });
}

export async function ask<T>(proc: ChildProcess, type: string): Promise<T> {
  const reply = nextMessage<T>(proc, type);
  proc.send({ type });
  return reply;
}

export async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.send({ type: 'stop' });
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * The generator and the sink run at lower CPU priority (nice 10): they stand in for other machines,
 * so when the 2 cores are contended the processor, the thing measured, goes first.
 */
export function lowerPriority(proc: ChildProcess): void {
  if (proc.pid && !process.env.BENCH_NO_NICE) setPriority(proc.pid, 10);
}

/** `onPhase`: called as the measured window starts ('measure') and ends ('end'). */
export async function generate(spec: LoadSpec, onPhase?: (phase: 'measure' | 'end') => void): Promise<LoadResult> {
  const gen = child('loadgen.ts');
  lowerPriority(gen);
  if (onPhase) gen.on('message', (m: { type: string; phase?: 'measure' | 'end' }) => m.phase && onPhase(m.phase));
  const done = nextMessage<{ result: LoadResult }>(gen, 'done');
  gen.send(spec);
  return (await done).result;
}

/** Idle and total CPU time of the whole machine (all cores, jiffies), from /proc/stat. */
export function machineCpu(): { idle: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) };
}

/** The machine's idle time between two machineCpu() readings, in % of one core (as the CPU figures). */
export function idlePct(a: { idle: number; total: number }, b: { idle: number; total: number }): number {
  return (100 * cpus().length * (b.idle - a.idle)) / Math.max(1, b.total - a.total);
}

/**
 * Growth of a cumulative ms counter of the processor (GC pauses, loop busy, run-queue wait) between
 * two usage readings, in % of the wall time between them (`wallMs`); NaN where it was not measured.
 */
export function sharePct(fromMs: number | undefined, toMs: number | undefined, wallMs: number): number {
  return fromMs === undefined || toMs === undefined ? NaN : (100 * (toMs - fromMs)) / wallMs;
}

/** Modes that score only once a model is trained, and the detector the active version must hold. */
export const TRAINED_BY: Record<string, string> = { 'mining+if': 'isolation-forest', 'mining+lstm': 'lstm' };
const PRIME_RATE = 10_000;
const PRIME_LIMIT_MS = 10 * 60_000;
const PRIME_PASSES_PER_CALL = 10;
/** The measured run's first pass, after any the priming used (at most 200 calls × 10). */
export const MEASURED_FIRST_PASS = 100_000;

/**
 * Feeds the processor at a modest rate until its model holds `detector` (learning phase, then
 * training in the worker thread), so the measured window is scoring only.
 */
export async function prime(proc: ChildProcess, target: string, detector: string, datasetFile: string): Promise<void> {
  const until = Date.now() + PRIME_LIMIT_MS;
  // Fresh sessions per pass (LoadSpec.firstPass): a 3 s call at PRIME_RATE covers under 2 passes
  for (let firstPass = 0; ; firstPass += PRIME_PASSES_PER_CALL) {
    const model = await ask<{ detectors: string[]; summary?: object }>(proc, 'model');
    if (model.detectors.includes(detector)) return;
    console.error(`priming until the model holds ${detector}: ${JSON.stringify(model.summary ?? {})}`);
    if (Date.now() > until)
      throw new Error(`no model with ${detector} after ${PRIME_LIMIT_MS / 60_000} min of priming`);
    await generate({
      target,
      datasetFile,
      batchSize: BATCH,
      warmupMs: 0,
      durationMs: 3000,
      ratePerS: PRIME_RATE,
      firstPass,
    });
  }
}
