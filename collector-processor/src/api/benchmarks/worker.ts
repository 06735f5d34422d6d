/**
 * Runs one benchmark inside a worker thread so the processor's event loop (OTLP receive, export,
 * API) never waits for detector training. Loaded by runner.ts through tsx's CommonJS hook.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BenchmarkRequest } from '@anomalog/shared';
import type { BenchmarkModule, WorkerInput, WorkerMessage } from './protocol';
import { readSpooledUpload } from './upload-spool';

const input = workerData as WorkerInput;
const post = (message: WorkerMessage) => parentPort?.postMessage(message);

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(input.module) as BenchmarkModule;
  let last = -1;
  // A large upload's body was spooled to a file as it arrived (upload-spool.ts): read here, off the
  // processor's event loop (the runner refused one too large for this worker's heap).
  const request = input.uploadFile ? spooledRequest(input.request, input.uploadFile) : input.request;
  const results = await mod.runBenchmark(request, {
    datasetsDir: input.datasetsDir,
    seed: input.seed,
    onProgress: (progress, message) => {
      // At most one message per percent: a detector loop may report far more often than anyone looks.
      const p = Math.max(0, Math.min(1, progress));
      if (Math.floor(p * 100) === last && !message) return;
      last = Math.floor(p * 100);
      post({ type: 'progress', progress: p, message });
    },
  });
  post({ type: 'done', results });
}

/** The light request (stand-ins for log and labels) with the upload's real log and labels. */
function spooledRequest(light: BenchmarkRequest, file: string): BenchmarkRequest {
  if (!light.upload) throw new Error('a spooled benchmark request without an upload');
  return { ...light, upload: { ...light.upload, ...readSpooledUpload(file) } };
}

main().catch((err: Error) => post({ type: 'failed', message: err?.message ?? String(err) }));
