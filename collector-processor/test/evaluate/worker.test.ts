import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { StoreConfig, validateWithDefaults } from '@anomalog/shared';
import { createBenchmarkRunner } from '../../src/api/benchmarks/runner';
import { SqliteStore } from '../../src/store/sqlite';
import { HDFS_BLOCK_REGEX, HDFS_LINE_FORMAT } from '../../src/evaluate/datasets';
import { generateSyntheticHdfs } from '../fixtures/synthetic-hdfs/generate';

// The API's benchmark runner loads src/evaluate/run.ts by path in a worker thread: the module must
// stand alone (no server imports) and return results the API can serialise.
test('the API benchmark runner runs the framework in its worker thread and keeps the run in the store', async () => {
  const s = generateSyntheticHdfs(200);
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-bench-runs-'));
  const sc = validateWithDefaults(StoreConfig, { dataDir: dir });
  if (!sc.ok) throw new Error('store config');
  const store = new SqliteStore(sc.value, pino({ level: 'silent' }));
  await store.open();
  const runner = createBenchmarkRunner({ datasetsDir: '/nonexistent', history: store });
  try {
    expect(await runner.datasets()).toEqual([]);
    const run = await runner.start({
      name: 'synthetic HDFS, 200 blocks',
      dataset: 'upload',
      detectors: ['isolation-forest'],
      upload: { log: s.log, labels: s.labels, lineFormat: HDFS_LINE_FORMAT, sessionRegex: HDFS_BLOCK_REGEX },
    });
    const deadline = Date.now() + 50_000;
    while (runner.run(run.id)!.state !== 'done' && runner.run(run.id)!.state !== 'failed' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const done = runner.run(run.id)!;
    expect(done.message).toBe('1 result(s)');
    expect(done.state).toBe('done');
    expect(done.name).toBe('synthetic HDFS, 200 blocks'); // the name given, kept with the run
    expect(done.results[0]).toMatchObject({ dataset: 'upload', detector: 'isolation-forest' });
    expect(done.results[0].roc_auc).toBeGreaterThan(0.6);

    // After a restart, the run is among the earlier runs to compare with.
    await runner.close();
    await store.close();
    await store.open();
    const restarted = createBenchmarkRunner({ datasetsDir: '/nonexistent', history: store });
    await restarted.loaded();
    expect(restarted.runs().map((r) => r.id)).toEqual([run.id]);
    expect(restarted.run(run.id)).toEqual(done);
    await restarted.close();
  } finally {
    await runner.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
