import type { BenchmarkRequest, BenchmarkResult } from '@anomalog/shared';

/**
 * The benchmark framework's entry points (collector-processor/src/evaluate/run.ts). The runner loads
 * the module by path so a test can point it at a double, and so the worker thread loads it afresh.
 */
export interface BenchmarkModule {
  runBenchmark(
    request: BenchmarkRequest,
    options: { datasetsDir: string; seed: number; onProgress?: (progress: number, message?: string) => void },
  ): Promise<BenchmarkResult[]>;
  listDatasets(dir: string): string[] | Promise<string[]>;
}

/** What the main thread hands to a benchmark worker. */
export interface WorkerInput {
  module: string;
  request: BenchmarkRequest;
  /**
   * The whole request body, spooled to disk as it arrived (upload-spool.ts); `request` is then its
   * light copy, whose upload.log and upload.labels the worker reads from this file.
   */
  uploadFile?: string;
  datasetsDir: string;
  seed: number;
}

/** Messages from a benchmark worker to the main thread. */
export type WorkerMessage =
  | { type: 'progress'; progress: number; message?: string }
  | { type: 'done'; results: BenchmarkResult[] }
  | { type: 'failed'; message: string };
