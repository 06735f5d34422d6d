import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite';
import { createTriageStore } from '../../src/store/triage-create';
import { NO_LOW_SPACE, settingsWith, silentLogger } from './fixtures';
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
