import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LowSpaceWatch } from '../../src/store/low-space';
import { SqliteStore } from '../../src/store/sqlite';
import type { AnomalyRecord } from '../../src/store/store';
import { anomaly, captureLogger, iso, settingsWith, silentLogger, T0 } from './fixtures';

/**
 * While the data directory's file system is low on space, the SQLite store stops growing: each batch
 * replaces as many of the oldest anomalies. (On a really full file system trimming after SQLITE_FULL
 * cannot make room; see enospc-check.ts.)
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-low-'));
  dirs.push(dir);
  return dir;
}

function batch(n: number, size: number): AnomalyRecord[] {
  return Array.from({ length: size }, (_, j) =>
    anomaly(`b${n}-${j}`, { time: iso(T0 + n * 1000 + j), message: `m`.repeat(600) }),
  );
}

describe('SqliteStore on low disk space', () => {
  it('keeps its size while space is low, newest anomalies kept, and grows again when space is back', async () => {
    let free = 10 * 1024 ** 3;
    const { logger, lines } = captureLogger();
    const store = new SqliteStore(settingsWith({ kind: 'sqlite', dataDir: tempDir() }), logger, {
      lowSpaceBytes: 100 * 1024 ** 2,
      freeBytes: () => free,
      checkEveryMs: 0,
    });
    await store.open();
    for (let n = 0; n < 10; n++) await store.insertAnomalies(batch(n, 50));
    expect(store.status().lowDiskSpace).toBe(false);

    free = 50 * 1024 ** 2;
    await store.insertAnomalies(batch(10, 50));
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    let inserted = 0;
    for (let n = 11; n < 111; n++) inserted += await store.insertAnomalies(batch(n, 50));
    expect(inserted).toBe(100 * 50);
    expect(store.status()).toMatchObject({ lowDiskSpace: true, diskFull: false, droppedAnomalies: 0 });
    expect((await store.queryAnomalies({})).total).toBe(500);
    expect((await store.queryAnomalies({ limit: 1 })).items[0].id).toBe('b110-49');
    // 5,000 anomalies (about 5 MB) went in; the file did not grow by more than a few pages.
    expect(store.db.pragma('page_count', { simple: true })).toBeLessThanOrEqual(pages + 8);
    expect(lines().filter((l) => String(l.msg).startsWith('low disk space'))).toHaveLength(1);

    free = 10 * 1024 ** 3;
    await store.insertAnomalies(batch(200, 50));
    expect((await store.queryAnomalies({})).total).toBe(550);
    expect(store.status().lowDiskSpace).toBe(false);
    expect(lines().some((l) => l.msg === 'disk space back: the store grows again')).toBe(true);
    await store.close();
  });
});

describe('LowSpaceWatch', () => {
  it('reads free space with statfs by default', () => {
    const dir = tempDir();
    expect(new LowSpaceWatch(dir, silentLogger, { lowSpaceBytes: Number.MAX_SAFE_INTEGER }).check()).toBe(true);
    expect(new LowSpaceWatch(dir, silentLogger, { lowSpaceBytes: 0 }).check()).toBe(false);
  });

  it('reuses a reading for checkEveryMs, and is never low when free space cannot be read', () => {
    let calls = 0;
    const watch = new LowSpaceWatch('/x', silentLogger, { lowSpaceBytes: 10, freeBytes: () => (calls++, 5) });
    expect([watch.check(1000), watch.check(2000), watch.check(5999)]).toEqual([true, true, true]);
    expect(calls).toBe(1);
    watch.check(6000);
    expect(calls).toBe(2);
    const failing = new LowSpaceWatch('/x', silentLogger, {
      freeBytes: () => {
        throw new Error('ENOSYS');
      },
    });
    expect(failing.check()).toBe(false);
  });
});
