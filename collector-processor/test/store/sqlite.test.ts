import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../src/store/create';
import { StoreError } from '../../src/store/errors';
import { SQLITE_FILE_NAME, SqliteStore, WAL_SIZE_LIMIT } from '../../src/store/sqlite';
import { storeConformance } from './conformance';
import { anomaly, model, NO_LOW_SPACE, settingsWith, silentLogger } from './fixtures';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-sqlite-'));
  dirs.push(dir);
  return dir;
}

describe('SqliteStore conformance', () => {
  storeConformance({
    kind: 'sqlite',
    fresh: async (retention) => settingsWith({ kind: 'sqlite', dataDir: tempDir() }, retention),
    create: (settings, logger = silentLogger) => new SqliteStore(settings, logger, NO_LOW_SPACE),
  });
});

describe('SqliteStore open', () => {
  const stores: SqliteStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  function store(dataDir: string, sync: 'normal' | 'full' = 'normal'): SqliteStore {
    const s = new SqliteStore(
      settingsWith({ kind: 'sqlite', dataDir, sqliteSynchronous: sync }),
      silentLogger,
      NO_LOW_SPACE,
    );
    stores.push(s);
    return s;
  }

  it('creates the data directory and anomalog.db in WAL mode with the configured synchronous level', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const normal = store(dataDir);
    await normal.open();
    expect(normal.file).toBe(join(dataDir, SQLITE_FILE_NAME));
    expect(existsSync(normal.file)).toBe(true);
    expect(normal.status()).toMatchObject({ kind: 'sqlite', location: normal.file });
    expect(normal.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(normal.db.pragma('synchronous', { simple: true })).toBe(1);
    const full = store(tempDir(), 'full');
    await full.open();
    expect(full.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('cuts the WAL back to WAL_SIZE_LIMIT after a write larger than that', async () => {
    const s = store(tempDir());
    await s.open();
    const big = Buffer.alloc(WAL_SIZE_LIMIT + 8 * 1024 * 1024, 7);
    await s.saveModel(model('web', { active: true }, big));
    const wal = `${s.file}-wal`;
    expect(statSync(wal).size).toBeGreaterThan(WAL_SIZE_LIMIT);
    // The next commits after the automatic checkpoint restart the WAL and truncate it.
    for (let i = 0; i < 5; i++) await s.saveMinerState('web', Uint8Array.of(i));
    expect(statSync(wal).size).toBeLessThanOrEqual(WAL_SIZE_LIMIT);
    expect((await s.loadActiveModel('web'))!.bytes.byteLength).toBe(big.byteLength);
  });

  it('leaves one self-contained anomalog.db after close: a copy of it opens with the same data', async () => {
    const dataDir = tempDir();
    const s = store(dataDir);
    await s.open();
    await s.insertAnomalies([anomaly('kept')]);
    await s.saveModel(model('web', { active: true }));
    await s.close();
    expect(existsSync(`${s.file}-wal`)).toBe(false);
    const copyDir = tempDir();
    copyFileSync(s.file, join(copyDir, SQLITE_FILE_NAME));
    const copy = store(copyDir);
    await copy.open();
    expect((await copy.getAnomaly('kept'))!.id).toBe('kept');
    expect((await copy.loadActiveModel('web'))!.info.version).toBe(1);
  });

  it('refuses a data directory that is a file, saying which setting to change', async () => {
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    await expect(store(file).open()).rejects.toThrow(
      /store\.dataDir .*plain-file is not a writable directory.*ANOMALOG_STORE_DATA_DIR/,
    );
  });

  it('refuses a damaged database file with a way out', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, SQLITE_FILE_NAME), Buffer.alloc(8192, 0x41));
    const err = await store(dataDir)
      .open()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toMatch(/damaged or not an SQLite file.*mv .*anomalog\.db .*anomalog\.db\.broken/);
  });

  it('refuses a database written by a newer schema version', async () => {
    const dataDir = tempDir();
    const first = store(dataDir);
    await first.open();
    first.db.prepare('INSERT INTO anomalog_schema (version, applied_at) VALUES (?, ?)').run(99, 'later');
    await first.close();
    await expect(store(dataDir).open()).rejects.toThrow(/schema version 99, newer than this Anomalog knows/);
  });

  it('is what createStore opens for kind sqlite', async () => {
    const created = await createStore(settingsWith({ kind: 'sqlite', dataDir: tempDir() }), silentLogger);
    stores.push(created as SqliteStore);
    expect(created).toBeInstanceOf(SqliteStore);
    expect(await created.insertAnomalies([anomaly('a')])).toBe(1);
  });
});
