import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite';
import { storeConformance } from './conformance';
import { settingsWith, silentLogger } from './fixtures';

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
    create: (settings, logger = silentLogger) => new SqliteStore(settings, logger),
  });
});
