import type { BenchmarkRun } from '@anomalog/shared';
import type { BenchmarkStore } from '../benchmarks';
import type { PostgresConnection } from './connection';

export class PostgresBenchmarks implements BenchmarkStore {
  constructor(private readonly c: PostgresConnection) {}

  async saveBenchmarkRun(run: BenchmarkRun, keep: number): Promise<void> {
    await this.c.write(`benchmark run ${run.id}`, () =>
      this.c.db.query(
        'WITH saved AS (INSERT INTO benchmark_runs (id, started_at, run) VALUES ($1, $2, $3) ' +
          'ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, run = excluded.run) ' +
          'DELETE FROM benchmark_runs WHERE id NOT IN ' +
          '(SELECT id FROM benchmark_runs WHERE id <> $1 ORDER BY started_at DESC LIMIT $4 - 1) AND id <> $1',
        [run.id, run.startedAt, JSON.stringify(run), keep],
      ),
    );
  }

  async listBenchmarkRuns(limit: number): Promise<BenchmarkRun[]> {
    const { rows } = await this.c.query<{ run: BenchmarkRun }>(
      'SELECT run FROM benchmark_runs ORDER BY started_at DESC LIMIT $1',
      [limit],
    );
    return rows.map((r) => r.run);
  }

  async deleteBenchmarkRun(id: string): Promise<boolean> {
    const res = await this.c.write(`benchmark run ${id}`, () =>
      this.c.query('DELETE FROM benchmark_runs WHERE id = $1', [id]),
    );
    return (res.rowCount ?? 0) > 0;
  }
}
