import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreMinerState } from '../../src/store/miner-state';
import { startRetention } from '../../src/store/retention';
import { SqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { anomaly, captureLogger, iso, NO_LOW_SPACE, settingsWith, silentLogger } from './fixtures';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function sqlite(retention = {}): Promise<SqliteStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'anomalog-ret-'));
  dirs.push(dataDir);
  const store = new SqliteStore(settingsWith({ kind: 'sqlite', dataDir }, retention), silentLogger, NO_LOW_SPACE);
  await store.open();
  return store;
}

describe('startRetention', () => {
  it('runs a round at once and then periodically, logging what it deleted', async () => {
    const store = await sqlite({ anomalyDays: 1 });
    await store.insertAnomalies([
      anomaly('old', { time: iso(Date.now() - 3 * 86_400_000) }),
      anomaly('new', { time: iso(Date.now()) }),
    ]);
    const { logger, lines } = captureLogger();
    const retention = startRetention(store, logger, 20);
    await new Promise((r) => setTimeout(r, 100));
    await retention.stop();
    expect((await store.queryAnomalies({})).items.map((a) => a.id)).toEqual(['new']);
    expect(lines().filter((l) => l.msg === 'store retention deleted old rows')).toEqual([
      expect.objectContaining({ deleted: 1 }),
    ]);
    await store.close();
  });

  it('logs a failed round and keeps going; stop() waits for the round in flight', async () => {
    let calls = 0;
    let inFlight = false;
    const failing = {
      async enforceRetention() {
        calls++;
        inFlight = true;
        await new Promise((r) => setTimeout(r, 5));
        inFlight = false;
        if (calls === 1) throw new Error('database is locked');
        return 0;
      },
    } as unknown as Store;
    const { logger, lines } = captureLogger();
    const retention = startRetention(failing, logger, 10);
    await new Promise((r) => setTimeout(r, 60));
    await retention.stop();
    expect(inFlight).toBe(false);
    expect(calls).toBeGreaterThanOrEqual(2);
    const afterStop = calls;
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(afterStop);
    expect(lines()).toContainEqual(
      expect.objectContaining({ err: 'database is locked', msg: 'store retention failed; retrying next round' }),
    );
  });
});

describe('StoreMinerState', () => {
  it("keeps one snapshot per service under miner:<service> and reads the old single 'miner' row", async () => {
    const store = await sqlite();
    const state = new StoreMinerState(store);
    expect(await state.loadService('web')).toBeUndefined();
    await state.saveService('web', Uint8Array.of(5, 6, 7));
    expect(Array.from((await new StoreMinerState(store).loadService('web'))!)).toEqual([5, 6, 7]);
    expect(Array.from((await store.loadMinerState('miner:web'))!)).toEqual([5, 6, 7]);
    expect(await state.loadService('db')).toBeUndefined();
    expect(await state.loadLegacy()).toBeUndefined();
    await store.saveMinerState('miner', Uint8Array.of(1));
    expect(Array.from((await state.loadLegacy())!)).toEqual([1]);
    await store.close();
  });
});
