import type { Database as Db } from 'better-sqlite3';
import type { BenchmarkRun } from '@anomalog/shared';
import type { BenchmarkStore } from '../benchmarks';
import type { SqliteConnection } from './connection';

function statements(db: Db) {
  return {
    put: db.prepare('INSERT OR REPLACE INTO benchmark_runs (id, started_at, run) VALUES (?, ?, ?)'),
    prune: db.prepare(
      'DELETE FROM benchmark_runs WHERE id NOT IN (SELECT id FROM benchmark_runs ORDER BY started_at DESC LIMIT ?)',
    ),
    list: db.prepare('SELECT run FROM benchmark_runs ORDER BY started_at DESC LIMIT ?'),
    delete: db.prepare('DELETE FROM benchmark_runs WHERE id = ?'),
  };
}

export class SqliteBenchmarks implements BenchmarkStore {
  private stmts!: ReturnType<typeof statements>;

  constructor(private readonly c: SqliteConnection) {}

  prepare(db: Db): void {
    this.stmts = statements(db);
  }

  async saveBenchmarkRun(run: BenchmarkRun, keep: number): Promise<void> {
    const save = this.c.db.transaction(() => {
      this.stmts.put.run(run.id, run.startedAt, JSON.stringify(run));
      this.stmts.prune.run(keep);
    });
    this.c.write(`benchmark run ${run.id}`, () => save.immediate());
  }

  async listBenchmarkRuns(limit: number): Promise<BenchmarkRun[]> {
    const rows = this.stmts.list.all(limit) as { run: string }[];
    return rows.map((r) => JSON.parse(r.run) as BenchmarkRun);
  }

  async deleteBenchmarkRun(id: string): Promise<boolean> {
    return this.c.write(`benchmark run ${id}`, () => this.stmts.delete.run(id).changes > 0);
  }
}
