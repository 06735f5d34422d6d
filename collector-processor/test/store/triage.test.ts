import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresStore } from '../../src/store/postgres';
import { SqliteStore } from '../../src/store/sqlite';
import { createTriageStore } from '../../src/store/triage-create';
import { NO_LOW_SPACE, settingsWith, silentLogger } from './fixtures';
import { startPgServer, type PgServer } from './pg-server';
import { triageConformance } from './triage-conformance';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('SqliteTriageStore conformance', () => {
  triageConformance(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anomalog-triage-'));
    dirs.push(dir);
    const settings = settingsWith({ kind: 'sqlite', dataDir: dir });
    const store = new SqliteStore(settings, silentLogger, NO_LOW_SPACE);
    await store.open();
    const triage = await createTriageStore(settings, store);
    return { store, triage, close: async () => (await triage.close(), await store.close()) };
  });
});

describe('PostgresTriageStore conformance', () => {
  let server: PgServer;
  let databases = 0;
  beforeAll(async () => {
    server = await startPgServer();
  }, 120_000);
  afterAll(() => server?.stop());

  triageConformance(async () => {
    const settings = settingsWith({ kind: 'postgres', postgresUrl: await server.createDatabase(`tr${++databases}`) });
    const store = new PostgresStore(settings, silentLogger);
    await store.open();
    const triage = await createTriageStore(settings, store);
    return { store, triage, close: async () => (await triage.close(), await store.close()) };
  });
});
