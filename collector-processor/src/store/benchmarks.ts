import type { BenchmarkRun } from '@anomalog/shared';

/**
 * Finished benchmark runs: the Grafana app compares a run with earlier ones, across restarts
 * (SQLite `sqlite/benchmarks.ts`, PostgreSQL `postgres/benchmarks.ts`).
 */
export interface BenchmarkStore {
  /** Insert or replace the run by id; only the newest `keep` runs stay. */
  saveBenchmarkRun(run: BenchmarkRun, keep: number): Promise<void>;
  /** Newest first (by start time). */
  listBenchmarkRuns(limit: number): Promise<BenchmarkRun[]>;
  /** False when no run had that id. */
  deleteBenchmarkRun(id: string): Promise<boolean>;
}
