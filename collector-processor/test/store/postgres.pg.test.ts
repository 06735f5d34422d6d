import { PostgresStore, redactUrl } from '../../src/store/postgres';
import { createStore } from '../../src/store/create';
import { StoreError, StoreFullError } from '../../src/store/errors';
import { storeConformance } from './conformance';
import { Client } from 'pg';
import { anomaly, captureLogger, iso, model, modelBytes, settingsWith, silentLogger, T0 } from './fixtures';
import { findPgBin, startPgServer, type PgServer } from './pg-server';

// This suite starts a PostgreSQL server (initdb): slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(120_000);

// A real PostgreSQL server (initdb + pg_ctl in a temp dir); fails with install instructions when the
// server binaries are missing.
let server: PgServer;
let databases = 0;

beforeAll(async () => {
  server = await startPgServer();
}, 120_000);

afterAll(() => {
  server?.stop();
});

async function freshSettings(retention?: Parameters<typeof settingsWith>[1]) {
  const url = await server.createDatabase(`t${++databases}`);
  return settingsWith({ kind: 'postgres', postgresUrl: url }, retention);
}

describe('PostgresStore conformance', () => {
  storeConformance({
    kind: 'postgres',
    fresh: freshSettings,
    create: (settings, logger = silentLogger) => new PostgresStore(settings, logger),
  });
});

describe('PostgresStore with several replicas', () => {
  const stores: PostgresStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  function replica(settings: ReturnType<typeof settingsWith>): PostgresStore {
    const store = new PostgresStore(settings, silentLogger);
    stores.push(store);
    return store;
  }

  it('lets replicas starting together create the schema once', async () => {
    const settings = await freshSettings();
    const replicas = [replica(settings), replica(settings), replica(settings)];
    await Promise.all(replicas.map((r) => r.open()));
    await replicas[0].insertAnomalies([anomaly('a1')]);
    expect((await replicas[2].queryAnomalies({})).total).toBe(1);
  });

  it('stores overlapping batches from two replicas at once exactly once each, whatever their order', async () => {
    const settings = await freshSettings();
    const [a, b] = [replica(settings), replica(settings)];
    await Promise.all([a.open(), b.open()]);
    const rows = Array.from({ length: 300 }, (_, i) => anomaly(`o${i}`, { time: iso(T0 + i) }));
    const inserts: Promise<number>[] = [];
    for (let k = 0; k < 6; k++) {
      inserts.push(a.insertAnomalies(rows.slice(k * 40, k * 40 + 100)));
      inserts.push(b.insertAnomalies(rows.slice(k * 40, k * 40 + 100).reverse()));
    }
    const counts = await Promise.all(inserts);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(300);
    expect((await a.queryAnomalies({})).total).toBe(300);
  });

  it('runs retention on one replica at a time; together they delete each row once', async () => {
    const now = T0 + 30 * 86_400_000;
    const settings = await freshSettings({ anomalyDays: 1, maxAnomalies: 10 });
    const [a, b] = [replica(settings), replica(settings)];
    await Promise.all([a.open(), b.open()]);
    const rows = Array.from({ length: 400 }, (_, i) => anomaly(`r${i}`, { time: iso(now - 3_600_000 - i) }));
    await a.insertAnomalies(rows);
    for (let i = 0; i < 6; i++) await a.saveModel(model('web', { active: i === 0 }));
    const deleted = await Promise.all([a.enforceRetention(now), b.enforceRetention(now)]);
    expect(deleted[0] + deleted[1]).toBe(390);
    expect((await b.queryAnomalies({})).total).toBe(10);
  });

  it("sees another replica's model activation and configuration at once", async () => {
    const settings = await freshSettings();
    const [a, b] = [replica(settings), replica(settings)];
    await Promise.all([a.open(), b.open()]);
    await a.saveModel(model('web', { active: true }));
    await b.saveModel(model('web'));
    await b.activateModel('web', 2);
    expect((await a.loadActiveModel('web'))!.info.version).toBe(2);
  });
});

describe('PostgresStore errors', () => {
  it('says what to set when postgresUrl is empty', async () => {
    const store = new PostgresStore(settingsWith({ kind: 'postgres', postgresUrl: '' }), silentLogger);
    await expect(store.open()).rejects.toThrow(/ANOMALOG_STORE_POSTGRES_URL/);
  });

  it('names the server without its password when it cannot connect', async () => {
    const url = `postgres://anomalog:s3cret@127.0.0.1:${server.port}/no_such_db`;
    const store = new PostgresStore(settingsWith({ kind: 'postgres', postgresUrl: url }), silentLogger);
    const err = await store.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toContain('127.0.0.1');
    expect((err as Error).message).not.toContain('s3cret');
    expect(store.status().location).toBe(redactUrl(url));
    expect(redactUrl(url)).not.toContain('s3cret');
  });
});

describe('PostgresStore across a server restart', () => {
  it('keeps committed writes and reconnects without being reopened or losing the next batch', async () => {
    const settings = await freshSettings();
    const store = new PostgresStore(settings, silentLogger);
    await store.open();
    try {
      await store.insertAnomalies([anomaly('before')]);
      await store.saveModel(model('web', { active: true }));
      // Pooled idle connections die with the server; the pool's error handler must keep the process up.
      server.restart();
      // The pool may still hold a connection whose end it has not seen: the store retries once.
      expect(await store.insertAnomalies([anomaly('after')])).toBe(1);
      expect((await store.queryAnomalies({})).items.map((a) => a.id).sort()).toEqual(['after', 'before']);
      expect((await store.loadActiveModel('web'))!.info.version).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('PostgresStore when the server ends its connections mid-transaction', () => {
  it('fails that call, does not crash the process, and serves the next calls', async () => {
    const settings = await freshSettings();
    const store = new PostgresStore(settings, silentLogger);
    await store.open();
    const admin = new Client({ connectionString: settings.postgresUrl });
    await admin.connect();
    try {
      // Hold the per-service model lock so saveModel waits inside its transaction.
      await admin.query('BEGIN');
      await admin.query("SELECT pg_advisory_xact_lock($1, hashtext('web'))", [0x616e6d6c]);
      const saving = store.saveModel(model('web', { active: true }));
      const settled = saving.then(
        () => 'saved',
        (err: unknown) => String(err),
      );
      await new Promise((r) => setTimeout(r, 200));
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'anomalog' AND pid <> pg_backend_pid()",
      );
      await admin.query('ROLLBACK');
      expect(await settled).toMatch(/terminat/i);
      expect(await store.insertAnomalies([anomaly('after')])).toBe(1);
      expect((await store.saveModel(model('web', { active: true }))).version).toBe(1);
    } finally {
      await admin.end();
      await store.close();
    }
  });
});

describe('createStore', () => {
  it('opens a PostgresStore for kind postgres', async () => {
    const store = await createStore(await freshSettings(), silentLogger);
    try {
      expect(store).toBeInstanceOf(PostgresStore);
      expect(store.status().kind).toBe('postgres');
    } finally {
      await store.close();
    }
  });
});

describe('PostgresStore on a full disk (SQLSTATE 53100 raised by a trigger)', () => {
  // PostgreSQL cannot be made to run out of space portably in a test; a trigger raising disk_full
  // (what the server raises on ENOSPC) beyond a row capacity exercises the store's handling.
  const CAPACITY = 100;
  async function fullAt(url: string): Promise<void> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`
        CREATE FUNCTION test_full_anomalies() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (SELECT count(*) FROM anomalies) >= ${CAPACITY} THEN
            RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
          END IF;
          RETURN NEW;
        END $$;
        CREATE FUNCTION test_full_models() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF length(NEW.bytes) > 100000 THEN
            RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER full_anomalies BEFORE INSERT ON anomalies FOR EACH ROW EXECUTE FUNCTION test_full_anomalies();
        CREATE TRIGGER full_models BEFORE INSERT ON models FOR EACH ROW EXECUTE FUNCTION test_full_models();`);
    } finally {
      await client.end();
    }
  }

  it('trims the oldest anomalies, drops and counts what cannot fit, fails model saves with StoreFullError', async () => {
    const settings = await freshSettings();
    const { logger, lines } = captureLogger();
    const store = new PostgresStore(settings, logger);
    await store.open();
    try {
      await fullAt(settings.postgresUrl);
      let inserted = 0;
      for (let n = 0; n < 30; n++)
        inserted += await store.insertAnomalies(
          Array.from({ length: 20 }, (_, j) => anomaly(`b${n}-${j}`, { time: iso(T0 + n * 1000 + j) })),
        );
      expect(inserted + store.status().droppedAnomalies).toBe(600);
      expect((await store.queryAnomalies({})).total).toBeLessThanOrEqual(CAPACITY);
      expect((await store.queryAnomalies({ limit: 1 })).items[0].id).toBe('b29-19');
      expect(lines().some((l) => l.msg === 'store full: deleted the oldest anomalies to make room')).toBe(true);

      const dropped = store.status().droppedAnomalies;
      const huge = Array.from({ length: CAPACITY * 2 }, (_, j) => anomaly(`h${j}`, { time: iso(T0 + 99_000 + j) }));
      const before = (await store.queryAnomalies({})).total;
      expect(await store.insertAnomalies(huge)).toBe(0);
      // The trimming is rolled back with the failed retry.
      expect((await store.queryAnomalies({})).total).toBe(before);
      expect(store.status()).toMatchObject({ diskFull: true, droppedAnomalies: dropped + CAPACITY * 2 });
      expect(store.status().lastError).toMatch(/No space left/);

      await expect(store.saveModel(model('web', { active: true }, modelBytes(200_000)))).rejects.toBeInstanceOf(
        StoreFullError,
      );
      expect(await store.listModels('web')).toEqual([]);
      expect((await store.saveModel(model('web', { active: true }))).version).toBe(1);
      expect(store.status().diskFull).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe('the test server harness', () => {
  it('fails with install instructions when no PostgreSQL server binaries are found', () => {
    expect(() => findPgBin('/nonexistent/postgresql', undefined)).toThrow(
      /PostgreSQL server binaries not found.*apt-get install -y postgresql.*PG_BIN/,
    );
    expect(findPgBin()).toMatch(/bin$/);
  });
});
