/**
 * Child process of crash.slow.test.ts: writes to a store (SQLite or PostgreSQL) in a loop until killed. After each
 * write resolves it prints one line on stdout (a synchronous write on a Linux pipe, so a line the
 * parent read was printed after the commit):
 *   batch <n>          anomalies b<n>-0 … b<n>-<size-1> committed
 *   model <version>    saveModel resolved
 *   miner <n>          miner state "web" now holds bytes seeded with n
 * Usage: node --import tsx crash-writer.ts <store settings as JSON> <firstBatch> <batchSize>
 */
import { writeSync } from 'node:fs';
import { createStore } from '../../src/store/create';
import { SqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { anomaly, iso, model, modelBytes, NO_LOW_SPACE, silentLogger, T0, type StoreSettings } from './fixtures';

async function openStore(settings: StoreSettings): Promise<Store> {
  if (settings.kind !== 'sqlite') return createStore(settings, silentLogger);
  const store = new SqliteStore(settings, silentLogger, NO_LOW_SPACE);
  await store.open();
  return store;
}

async function main(): Promise<void> {
  const [settings, first, size] = process.argv.slice(2);
  const batchSize = Number(size);
  const store = await openStore(JSON.parse(settings) as StoreSettings);
  writeSync(1, 'open\n');
  for (let n = Number(first); ; n++) {
    const batch = Array.from({ length: batchSize }, (_, j) =>
      anomaly(`b${n}-${j}`, { time: iso(T0 + n * 1000 + j), message: `x`.repeat(200 + (j % 50)) }),
    );
    await store.insertAnomalies(batch);
    writeSync(1, `batch ${n}\n`);
    if (n % 10 === 0) {
      const saved = await store.saveModel(model('web', { active: true, metrics: { seed: n } }, modelBytes(50_000, n)));
      writeSync(1, `model ${saved.version} ${n}\n`);
      await store.saveMinerState('web', modelBytes(20_000, n));
      writeSync(1, `miner ${n}\n`);
    }
  }
}

main().catch((err: unknown) => {
  writeSync(2, `${String(err)}\n`);
  process.exit(1);
});
