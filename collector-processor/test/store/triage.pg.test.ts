import { PostgresStore } from '../../src/store/postgres';
import { createTriageStore } from '../../src/store/triage-create';
import { settingsWith, silentLogger } from './fixtures';
import { startPgServer, type PgServer } from './pg-server';
import { triageConformance } from './triage-conformance';

/** The triage conformance suite (triage.test.ts runs it on SQLite) on a throwaway PostgreSQL server. */
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
