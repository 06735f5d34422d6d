/**
 * Anomaly insert rate of each backend, for docs/store.md (not a test):
 *   node --import tsx collector-processor/test/store/measure-inserts.ts [total] [batch]
 * Prints one JSON line per backend. PostgreSQL runs on a throwaway local server with fsync on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../src/store/create';
import { anomaly, iso, settingsWith, silentLogger, T0, type StoreSettings } from './fixtures';
import { startPgServer } from './pg-server';

async function measure(name: string, settings: StoreSettings, total: number, batchSize: number): Promise<void> {
  const store = await createStore(settings, silentLogger);
  const started = process.hrtime.bigint();
  const latencies: number[] = [];
  for (let n = 0; n * batchSize < total; n++) {
    const batch = Array.from({ length: batchSize }, (_, j) =>
      anomaly(`b${n}-${j}`, { time: iso(T0 + n * batchSize + j), score: (j % 100) / 100 }),
    );
    const t = process.hrtime.bigint();
    await store.insertAnomalies(batch);
    latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2));
  const t = process.hrtime.bigint();
  await store.queryAnomalies({ minScore: 0.9, limit: 100 });
  const queryMs = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(
    JSON.stringify({
      backend: name,
      anomalies: total,
      batch: batchSize,
      records_per_s: Math.round(total / seconds),
      batch_p50_ms: q(0.5),
      batch_p99_ms: q(0.99),
      query_min_score_ms: Number(queryMs.toFixed(1)),
    }),
  );
  await store.close();
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 50_000);
  const batch = Number(process.argv[3] ?? 100);
  for (const sync of ['normal', 'full'] as const) {
    const dataDir = mkdtempSync(join(tmpdir(), 'anomalog-measure-'));
    try {
      await measure(`sqlite-${sync}`, settingsWith({ kind: 'sqlite', dataDir, sqliteSynchronous: sync }), total, batch);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const server = await startPgServer({ fsync: true });
  try {
    const postgresUrl = await server.createDatabase('measure');
    await measure('postgres', settingsWith({ kind: 'postgres', postgresUrl }), total, batch);
  } finally {
    server.stop();
  }
}

void main();
