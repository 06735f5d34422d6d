import { PostgresStore, redactUrl } from '../../src/store/postgres';
import { createStore } from '../../src/store/create';
import { StoreError } from '../../src/store/errors';
import { storeConformance } from './conformance';
import { anomaly, iso, model, settingsWith, silentLogger, T0 } from './fixtures';
import { startPgServer, type PgServer } from './pg-server';

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
