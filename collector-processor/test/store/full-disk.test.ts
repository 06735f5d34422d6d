import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreFullError } from '../../src/store/errors';
import { SqliteStore } from '../../src/store/sqlite';
import type { AnomalyRecord } from '../../src/store/store';
import { anomaly, captureLogger, iso, model, modelBytes, NO_LOW_SPACE, settingsWith, T0 } from './fixtures';

/**
 * A full disk, simulated with SQLite's PRAGMA max_page_count (the database cannot grow past it and
 * writes fail with SQLITE_FULL, as on a full file system): anomaly inserts never throw, the oldest
 * anomalies make room, what cannot be stored is counted in status(), models fail with StoreFullError.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function smallStore(extraPages: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'anomalog-full-'));
  dirs.push(dataDir);
  const { logger, lines } = captureLogger();
  const store = new SqliteStore(settingsWith({ kind: 'sqlite', dataDir }), logger, NO_LOW_SPACE);
  await store.open();
  const pages = store.db.pragma('page_count', { simple: true }) as number;
  store.db.pragma(`max_page_count = ${pages + extraPages}`);
  return { store, lines };
}

function batch(n: number, size: number): AnomalyRecord[] {
  return Array.from({ length: size }, (_, j) =>
    anomaly(`b${n}-${j}`, { time: iso(T0 + n * 1000 + j), message: `m`.repeat(600) }),
  );
}

describe('SqliteStore on a full disk', () => {
  it('keeps inserting by trimming the oldest anomalies; never throws', async () => {
    const { store, lines } = await smallStore(100);
    let inserted = 0;
    for (let n = 0; n < 200; n++) inserted += await store.insertAnomalies(batch(n, 20));
    const status = store.status();
    const total = (await store.queryAnomalies({})).total;
    // Far more than fits was offered; the store stayed within its size and kept the newest rows.
    expect(inserted).toBeGreaterThan(total);
    expect(inserted + status.droppedAnomalies).toBe(200 * 20);
    expect(store.db.pragma('page_count', { simple: true })).toBeLessThanOrEqual(
      store.db.pragma('max_page_count', { simple: true }) as number,
    );
    const newest = await store.queryAnomalies({ limit: 1 });
    expect(newest.items[0].id).toBe('b199-19');
    expect(lines().some((l) => l.msg === 'store full: deleted the oldest anomalies to make room')).toBe(true);
    await store.close();
  });

  it('makes room for batches larger than a tenth of what fits (no drops once steadily full)', async () => {
    const { store } = await smallStore(100);
    let inserted = 0;
    for (let n = 0; n < 40; n++) inserted += await store.insertAnomalies(batch(n, 80));
    expect(store.status().droppedAnomalies).toBe(0);
    expect(inserted).toBe(40 * 80);
    expect((await store.queryAnomalies({ limit: 1 })).items[0].id).toBe('b39-79');
    await store.close();
  });

  it('drops and counts a batch that cannot fit even after trimming, and says so in the log', async () => {
    const { store, lines } = await smallStore(30);
    await store.insertAnomalies(batch(0, 10));
    const huge = batch(1, 2000);
    await expect(store.insertAnomalies(huge)).resolves.toBe(0);
    // The trimming is rolled back with the failed retry: nothing old was deleted for nothing.
    expect((await store.queryAnomalies({})).total).toBe(10);
    const status = store.status();
    expect(status.diskFull).toBe(true);
    expect(status.droppedAnomalies).toBe(2000);
    expect(status.lastError).toMatch(/full/i);
    const logged = lines().find((l) => l.level === 50);
    expect(logged).toMatchObject({ dropped: 2000, droppedTotal: 2000 });
    expect(String(logged!.msg)).toMatch(/anomalies dropped.*free disk space/);
    // A later write that fits clears the flag.
    expect(await store.insertAnomalies(batch(2, 1))).toBe(1);
    expect(store.status()).toMatchObject({ diskFull: false, droppedAnomalies: 2000 });
    await store.close();
  });

  it('fails model and miner-state writes with StoreFullError (never dropped silently), then recovers', async () => {
    const { store } = await smallStore(20);
    await expect(store.saveModel(model('web', { active: true }, modelBytes(400_000)))).rejects.toBeInstanceOf(
      StoreFullError,
    );
    await expect(store.saveMinerState('web', modelBytes(400_000))).rejects.toThrow(
      /store full: cannot save miner state web/,
    );
    expect(store.status().diskFull).toBe(true);
    expect(await store.listModels('web')).toEqual([]);
    store.db.pragma('max_page_count = 1000000');
    expect((await store.saveModel(model('web', { active: true }, modelBytes(400_000)))).version).toBe(1);
    expect(store.status().diskFull).toBe(false);
    await store.close();
  });
});
