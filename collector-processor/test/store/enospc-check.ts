/**
 * Manual check (not a jest test: it needs root and `mount`, which CI containers may refuse) of the
 * SQLite store on a really full file system, for docs/store.md:
 *   sudo node --import tsx collector-processor/test/store/enospc-check.ts
 * Mounts a 3 MiB tmpfs, stores 200 anomalies, fills the rest of the file system with another file,
 * keeps inserting, then closes, reopens while full, frees the space and inserts again. Twice: with
 * the low-space threshold off (only the SQLITE_FULL path acts) and at 1 MiB (the store stops growing
 * before the disk is full; the default is 128 MiB, too much for a 3 MiB file system). Prints one JSON
 * line per phase.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite';
import { anomaly, iso, settingsWith, silentLogger, T0 } from './fixtures';

const batch = (n: number) =>
  Array.from({ length: 20 }, (_, j) =>
    anomaly(`b${n}-${j}`, { time: iso(T0 + n * 1000 + j), message: 'm'.repeat(600) }),
  );

async function check(mountPoint: string, lowSpaceBytes: number, leaveFree: number): Promise<void> {
  const dataDir = join(mountPoint, 'data');
  const filler = join(mountPoint, 'filler');
  const open = async () => {
    const store = new SqliteStore(settingsWith({ kind: 'sqlite', dataDir }), silentLogger, {
      lowSpaceBytes,
      checkEveryMs: 0,
    });
    await store.open();
    return store;
  };
  const summary = async (store: SqliteStore) => ({
    stored: (await store.queryAnomalies({})).total,
    newest: (await store.queryAnomalies({ limit: 1 })).items[0]?.id,
    status: store.status(),
    lowSpaceBytes,
    leftFree: leaveFree,
  });
  let store = await open();
  for (let n = 0; n < 10; n++) await store.insertAnomalies(batch(n));
  store.db.pragma('wal_checkpoint(PASSIVE)');
  // Another program takes the space: all of it, or all but 512 KiB (below the 1 MiB threshold).
  const free = statfsSync(mountPoint).bavail * statfsSync(mountPoint).bsize;
  try {
    writeFileSync(filler, Buffer.alloc(leaveFree ? free - leaveFree : 16 * 1024 * 1024));
  } catch {
    // ENOSPC is the point: the file system is now full.
  }
  let inserted = 0;
  let threw = 0;
  for (let n = 10; n < 100; n++) inserted += await store.insertAnomalies(batch(n)).catch(() => (threw++, 0));
  console.log(JSON.stringify({ phase: 'full', offered: 1800, inserted, threw, ...(await summary(store)) }));
  await store.close();
  store = await open();
  console.log(JSON.stringify({ phase: 'reopened while full', ...(await summary(store)) }));
  rmSync(filler);
  const after = await store.insertAnomalies(batch(200));
  console.log(JSON.stringify({ phase: 'space freed', inserted: after, ...(await summary(store)) }));
  await store.close();
}

async function main(): Promise<void> {
  const mountPoint = mkdtempSync(join(tmpdir(), 'anomalog-enospc-'));
  const cases = [
    { lowSpaceBytes: 0, leaveFree: 0 },
    { lowSpaceBytes: 1024 * 1024, leaveFree: 0 },
    { lowSpaceBytes: 0, leaveFree: 512 * 1024 },
    { lowSpaceBytes: 1024 * 1024, leaveFree: 512 * 1024 },
  ];
  for (const { lowSpaceBytes, leaveFree } of cases) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint]);
    try {
      await check(mountPoint, lowSpaceBytes, leaveFree);
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  }
  rmSync(mountPoint, { recursive: true, force: true });
}

void main();
