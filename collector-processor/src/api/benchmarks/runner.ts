import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BENCHMARK_CANCELLED, type BenchmarkRequest, type BenchmarkRun } from '@anomalog/shared';
import type { BenchmarkStore } from '../../store/benchmarks';
import type { Logger } from '../../telemetry/logger';
import { workerScript, type WorkerScript } from '../../runtime/worker-script';
import { HttpError } from '../errors';
import { compileUserRegex, UserRegexError } from '../../util/user-regex';
import type { BenchmarkModule, WorkerInput, WorkerMessage } from './protocol';
import { removeSpoolFile } from './upload-spool';
import { benchmarkWorkerHeapMb, checkUploadFits, datasetTooLarge } from './worker-budget';

/** Benchmarks as the API sees them: start one, follow it, list earlier runs. */
export interface BenchmarkService {
  datasets(): Promise<string[]>;
  /** Newest first. */
  runs(): BenchmarkRun[];
  run(id: string): BenchmarkRun | undefined;
  /**
   * Check the request, queue the run and return it (state "queued" or "running"). `uploadFile`: the
   * request's body spooled to disk (upload-spool.ts), `request` its light copy; the runner owns the
   * file from here on and removes it when the run ends or is refused.
   */
  start(request: BenchmarkRequest, uploadFile?: string): Promise<BenchmarkRun>;
  /**
   * Whether a request body of `bytes` could be queued now: the API refuses a larger upload before
   * reading it, so a full queue costs neither the body in memory nor parsing it.
   */
  admitsUpload(bytes: number): boolean;
  /**
   * Throws HttpError 413 when an upload of `bytes` could never run within a benchmark worker's heap
   * (worker-budget.ts): refused at once rather than queued to fail.
   */
  checkUploadFits(bytes: number): void;
  /**
   * Stop a queued or running run: it ends as failed, "cancelled". Undefined for an unknown id;
   * a finished run is returned as it is.
   */
  cancel(id: string): Promise<BenchmarkRun | undefined>;
  /**
   * Forget a finished run, here and in the history. False for an unknown id; a queued or running
   * run is refused (HttpError 409: cancel it first).
   */
  delete(id: string): Promise<boolean>;
  /** Resolves once the earlier runs of `history` are loaded. */
  loaded(): Promise<void>;
  /** Stop the running worker; unfinished runs end as failed. */
  close(): Promise<void>;
}

export interface BenchmarkRunnerOptions {
  datasetsDir: string;
  /** Module with runBenchmark/listDatasets; default the framework in src/evaluate/run.ts. */
  module?: string;
  seed?: number;
  /** Finished runs kept in memory (oldest dropped first). */
  keepRuns?: number;
  /** A run still going after this long is stopped (failed); default 30 minutes. */
  timeoutMs?: number;
  /**
   * Heap cap of a benchmark worker, so a huge upload fails the run rather than the processor; default
   * a share of the processor's own heap limit (worker-budget.ts).
   */
  maxWorkerHeapMb?: number;
  logger?: Logger;
  /**
   * Bytes the uploads of queued runs may hold together (in memory for a small body, in its spool
   * file for a large one); over it a new upload is refused with 429 while any run is queued or running.
   */
  maxQueuedUploadBytes?: number;
  /** Where finished runs are kept across restarts (the processor's store); memory only without it. */
  history?: BenchmarkStore;
}

const DEFAULT_MAX_QUEUED_UPLOAD_BYTES = 128 * 1024 * 1024;
/** Retry-After of a refusal for a full queue: about what a small run takes. */
export const QUEUE_FULL_RETRY_AFTER_S = 30;

/** Bytes an upload takes queued: its spool file's size, or (in memory) two bytes a code unit at most. */
function uploadBytes(request: BenchmarkRequest, uploadFile: string | undefined): number {
  if (uploadFile) return statSync(uploadFile).size;
  return request.upload ? 2 * (request.upload.log.length + request.upload.labels.length) : 0;
}

export const DEFAULT_BENCHMARK_MODULE = join(__dirname, '..', '..', 'evaluate', 'run');

/**
 * Runs benchmarks one at a time, each in its own worker thread, in request order. Finished runs are
 * saved to `history` (when given) and the newest `keepRuns` of them are loaded back at start, so the
 * Grafana app can compare with runs from before a restart.
 */
export function createBenchmarkRunner(opts: BenchmarkRunnerOptions): BenchmarkService {
  const modulePath = opts.module ?? DEFAULT_BENCHMARK_MODULE;
  const keep = opts.keepRuns ?? 100;
  const runs = new Map<string, BenchmarkRun>();
  /** Queued runs; a large upload waits in its spool file (`uploadFile`), not in the heap. */
  const queue: { run: BenchmarkRun; request: BenchmarkRequest; bytes: number; uploadFile?: string }[] = [];
  let active: { run: BenchmarkRun; worker: Worker; deadline: NodeJS.Timeout } | undefined;
  const maxQueuedBytes = opts.maxQueuedUploadBytes ?? DEFAULT_MAX_QUEUED_UPLOAD_BYTES;
  let queuedBytes = 0;
  const timeoutMs = opts.timeoutMs ?? 30 * 60_000;
  const workerHeapMb = opts.maxWorkerHeapMb ?? benchmarkWorkerHeapMb();
  let closed = false;
  const loaded = restoreHistory(opts, keep, runs);

  const loadModule = (): BenchmarkModule => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(modulePath) as BenchmarkModule;
    } catch (err) {
      throw new HttpError(503, `benchmark framework not available: ${(err as Error).message}`);
    }
  };

  const datasets = async (): Promise<string[]> => {
    try {
      return [...(await loadModule().listDatasets(opts.datasetsDir))];
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(503, `cannot list datasets in ${opts.datasetsDir}: ${(err as Error).message}`);
    }
  };

  const forgetOld = () => {
    const finished = [...runs.values()].filter((r) => r.state === 'done' || r.state === 'failed');
    for (const r of finished.slice(0, Math.max(0, runs.size - keep))) runs.delete(r.id);
  };

  /** The history's save of each run still in flight, so a delete follows it rather than racing it. */
  const saving = new Map<string, Promise<void>>();

  const finish = (run: BenchmarkRun, state: 'done' | 'failed', message?: string) => {
    if (run.state === 'done' || run.state === 'failed') return;
    run.state = state;
    if (state === 'done') run.progress = 1;
    if (message !== undefined) run.message = message;
    opts.logger?.info({ benchmark: run.id, state, message }, 'benchmark finished');
    const saved = opts.history
      ?.saveBenchmarkRun(run, keep)
      .catch((err: Error) => opts.logger?.error({ benchmark: run.id, err: err.message }, 'benchmark run not saved'))
      .finally(() => saving.delete(run.id));
    if (saved) saving.set(run.id, saved);
  };

  const pump = () => {
    if (active || closed) return;
    const next = queue.shift();
    if (!next) return;
    queuedBytes -= next.bytes;
    const { run, request, uploadFile } = next;
    run.state = 'running';
    const { script, data } = workerScript(__dirname, 'worker');
    const input: WorkerInput & WorkerScript['data'] = {
      module: modulePath,
      request,
      uploadFile,
      datasetsDir: opts.datasetsDir,
      seed: opts.seed ?? 42,
      ...data,
    };
    const worker = new Worker(script, {
      eval: true,
      workerData: input,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: workerHeapMb },
      stdout: false,
    });
    // A run is bounded in time: a pathological upload must not hold the one benchmark slot forever.
    const deadline = setTimeout(() => {
      finish(
        run,
        'failed',
        `stopped: the run took longer than ${timeoutMs / 60_000} min (api.benchmarkTimeoutMinutes)`,
      );
      void worker.terminate();
    }, timeoutMs);
    deadline.unref();
    active = { run, worker, deadline };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') {
        run.progress = m.progress;
        if (m.message) run.message = m.message;
      } else if (m.type === 'done') {
        run.results = m.results;
        finish(run, 'done', `${m.results.length} result(s)`);
      } else finish(run, 'failed', m.message);
    });
    worker.on('error', (err: NodeJS.ErrnoException) =>
      finish(
        run,
        'failed',
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? datasetTooLarge('the run ran out of heap while loading or scoring it', workerHeapMb)
          : err.message,
      ),
    );
    worker.on('exit', (code) => {
      clearTimeout(deadline);
      removeSpoolFile(uploadFile);
      finish(run, 'failed', `benchmark worker exited (code ${code}) before reporting results`);
      active = undefined;
      forgetOld();
      pump();
    });
  };

  const validate = async (request: BenchmarkRequest) => {
    if (request.dataset === 'upload') {
      if (!request.upload) throw new HttpError(400, 'body/upload is required when dataset is "upload"');
      if (!request.upload.log.trim()) throw new HttpError(400, 'body/upload/log is empty');
      if (!request.upload.labels.trim()) throw new HttpError(400, 'body/upload/labels is empty');
      if (request.upload.sessionRegex) {
        try {
          compileUserRegex(request.upload.sessionRegex);
        } catch (err) {
          if (err instanceof UserRegexError) throw new HttpError(400, `body/upload/sessionRegex: ${err.message}`);
          throw err;
        }
      }
      return;
    }
    const known = await datasets();
    if (!known.includes(request.dataset)) {
      throw new HttpError(
        400,
        `body/dataset: unknown dataset "${request.dataset}" (known: ${known.join(', ') || 'none'}, or "upload")`,
      );
    }
  };

  const checkFits = (bytes: number) => {
    try {
      checkUploadFits(bytes, workerHeapMb);
    } catch (err) {
      throw new HttpError(413, (err as Error).message);
    }
  };

  const enqueue = async (request: BenchmarkRequest, uploadFile: string | undefined): Promise<BenchmarkRun> => {
    if (closed) throw new HttpError(503, 'benchmarks are shutting down');
    await validate(request);
    const bytes = uploadBytes(request, uploadFile);
    checkFits(bytes);
    if (bytes > 0 && (active || queue.length > 0) && queuedBytes + bytes > maxQueuedBytes) {
      throw new HttpError(
        429,
        `benchmark queue full: queued uploads hold ${queuedBytes} bytes, this one ${bytes} (limit ${maxQueuedBytes}, api.maxQueuedUploadMiB); retry when a run has finished`,
        QUEUE_FULL_RETRY_AFTER_S,
      );
    }
    const run: BenchmarkRun = {
      id: randomUUID(),
      ...(request.name !== undefined ? { name: request.name } : {}),
      dataset: request.dataset,
      detectors: [...request.detectors],
      state: 'queued',
      progress: 0,
      startedAt: new Date().toISOString(),
      results: [],
    };
    runs.set(run.id, run);
    // A spooled request's upload holds stand-ins (upload-spool.ts): the worker reads the real one.
    queue.push({ run, request, bytes, uploadFile });
    queuedBytes += bytes;
    opts.logger?.info({ benchmark: run.id, dataset: run.dataset, detectors: run.detectors }, 'benchmark queued');
    pump();
    return run;
  };

  return {
    datasets,
    checkUploadFits: checkFits,
    admitsUpload: (bytes) => !(active || queue.length > 0) || queuedBytes + bytes <= maxQueuedBytes,
    loaded: () => loaded,
    runs: () => [...runs.values()].reverse(),
    run: (id) => runs.get(id),
    async start(request, uploadFile) {
      try {
        return await enqueue(request, uploadFile);
      } catch (err) {
        removeSpoolFile(uploadFile);
        throw err;
      }
    },
    async cancel(id) {
      const run = runs.get(id);
      if (!run || run.state === 'done' || run.state === 'failed') return run;
      const queued = queue.findIndex((q) => q.run.id === id);
      if (queued >= 0) {
        const [entry] = queue.splice(queued, 1);
        queuedBytes -= entry.bytes;
        removeSpoolFile(entry.uploadFile);
      }
      finish(run, 'failed', BENCHMARK_CANCELLED);
      if (active?.run.id === id) await active.worker.terminate();
      return run;
    },
    async delete(id) {
      await loaded;
      const run = runs.get(id);
      if (run && run.state !== 'done' && run.state !== 'failed')
        throw new HttpError(409, `benchmark "${id}" is ${run.state}: cancel it first`);
      await saving.get(id);
      const stored = (await opts.history?.deleteBenchmarkRun(id)) ?? false;
      return runs.delete(id) || stored;
    },
    async close() {
      closed = true;
      queuedBytes = 0;
      for (const { run, uploadFile } of queue.splice(0)) {
        removeSpoolFile(uploadFile);
        finish(run, 'failed', 'processor shut down before the run started');
      }
      if (active) {
        finish(active.run, 'failed', 'processor shut down during the run');
        await active.worker.terminate();
      }
    },
  };
}

/** Earlier runs from the store, oldest first into the map (runs() lists newest first). */
async function restoreHistory(
  opts: BenchmarkRunnerOptions,
  keep: number,
  runs: Map<string, BenchmarkRun>,
): Promise<void> {
  if (!opts.history) return;
  try {
    const earlier = await opts.history.listBenchmarkRuns(keep);
    const current = [...runs.values()];
    runs.clear();
    for (const r of earlier.reverse()) runs.set(r.id, r);
    for (const r of current) runs.set(r.id, r);
  } catch (err) {
    opts.logger?.error({ err: (err as Error).message }, 'earlier benchmark runs not loaded');
  }
}
