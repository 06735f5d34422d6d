import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createStore } from '../../src/store/create';
import { SqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { modelBytes, settingsWith, silentLogger, type StoreSettings } from './fixtures';
import { startPgServer, type PgServer } from './pg-server';

// This suite kills writer processes, round after round: slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(120_000);

/**
 * kill -9 a process in the middle of writing to the store, reopen: the store opens (SQLite passes
 * its integrity check), holds every write the child saw resolve, and each batch whole or not at all.
 */
const BATCH = 200;
const WRITER = join(__dirname, 'crash-writer.ts');

interface Reported {
  batches: number[];
  models: { version: number; seed: number }[];
  miners: number[];
}

/** Run the writer until it has reported `minBatches` batches (plus a random extra delay), then SIGKILL it. */
function runAndKill(settings: StoreSettings, firstBatch: number, minBatches: number): Promise<Reported> {
  const args = ['--import', 'tsx', WRITER, JSON.stringify(settings), String(firstBatch), String(BATCH)];
  const child = spawn(process.execPath, args, { cwd: __dirname, stdio: ['ignore', 'pipe', 'pipe'] });
  const reported: Reported = { batches: [], models: [], miners: [] };
  let out = '';
  let err = '';
  let killing = false;
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const lines = out.split('\n');
    out = lines.pop()!;
    for (const line of lines) {
      const [kind, a, b] = line.split(' ');
      if (kind === 'batch') reported.batches.push(Number(a));
      if (kind === 'model') reported.models.push({ version: Number(a), seed: Number(b) });
      if (kind === 'miner') reported.miners.push(Number(a));
    }
    if (!killing && reported.batches.length >= minBatches) {
      killing = true;
      // A varying delay so the kill lands at different points of a write.
      setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 20));
    }
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(reported);
      else reject(new Error(`writer exited with ${code ?? signal} before the kill: ${err}`));
    });
  });
}

const BATCH_COUNTS = `SELECT substr(id, 2, strpos(id, '-') - 2) AS batch, count(*) AS n FROM anomalies GROUP BY 1`;

/** Rows per batch number, read with the backend's own client (SQLite: also its integrity check). */
async function batchCounts(store: Store, settings: StoreSettings): Promise<Map<number, number>> {
  let rows: { batch: string; n: number | string }[];
  if (store instanceof SqliteStore) {
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    rows = store.db.prepare(BATCH_COUNTS.replace('strpos(id, ', 'instr(id, ')).all() as typeof rows;
  } else {
    const client = new Client({ connectionString: settings.postgresUrl });
    await client.connect();
    rows = (await client.query(BATCH_COUNTS).finally(() => client.end())).rows;
  }
  return new Map(rows.map((r) => [Number(r.batch), Number(r.n)]));
}

async function checkStore(settings: StoreSettings, rounds: Reported[]): Promise<number> {
  const store = await createStore(settings, silentLogger);
  try {
    // Every batch has BATCH rows or none (transactions are atomic), and every reported batch is there.
    const stored = await batchCounts(store, settings);
    for (const n of stored.values()) expect(n).toBe(BATCH);
    for (const b of rounds.flatMap((r) => r.batches)) expect(stored.has(b)).toBe(true);
    // The last round's model and miner state: the last reported one, or a later one committed just before the kill.
    const last = rounds[rounds.length - 1];
    const lastModel = last.models[last.models.length - 1];
    if (lastModel) {
      const active = await store.loadActiveModel('web');
      expect(active!.info.version).toBeGreaterThanOrEqual(lastModel.version);
      const seed = active!.info.metrics.seed;
      expect(seed).toBeGreaterThanOrEqual(lastModel.seed);
      expect(Buffer.from(active!.bytes).equals(Buffer.from(modelBytes(50_000, seed)))).toBe(true);
    }
    const lastMiner = last.miners[last.miners.length - 1];
    if (lastMiner !== undefined) {
      const miner = Buffer.from((await store.loadMinerState('web'))!);
      const candidates = [lastMiner, lastMiner + 10].map((s) => Buffer.from(modelBytes(20_000, s)));
      expect(candidates.some((c) => c.equals(miner))).toBe(true);
    }
    return stored.size;
  } finally {
    await store.close();
  }
}

/** Three rounds of write, kill -9, reopen and check, on the same database. */
async function killRounds(settings: StoreSettings): Promise<void> {
  const rounds: Reported[] = [];
  let next = 0;
  for (let round = 0; round < 3; round++) {
    const reported = await runAndKill(settings, next, 25 + round * 7);
    rounds.push(reported);
    expect(reported.batches.length).toBeGreaterThanOrEqual(25);
    const storedBatches = await checkStore(settings, rounds);
    // At most one batch per round committed but not yet reported when the kill landed.
    expect(storedBatches - rounds.reduce((s, r) => s + r.batches.length, 0)).toBeLessThanOrEqual(rounds.length);
    next = reported.batches[reported.batches.length - 1] + 2; // beyond a batch committed but not reported
  }
}

describe('SQLite store after kill -9', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const sync of ['normal', 'full'] as const) {
    it(`opens and keeps every acknowledged write (synchronous=${sync}), across repeated kills`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'anomalog-crash-'));
      dirs.push(dataDir);
      await killRounds(settingsWith({ kind: 'sqlite', dataDir, sqliteSynchronous: sync }));
    }, 120_000);
  }
});

describe('PostgreSQL store after kill -9 of the writing replica', () => {
  let server: PgServer;
  beforeAll(async () => {
    server = await startPgServer();
  }, 120_000);
  afterAll(() => server?.stop());

  it('keeps every acknowledged write and no partial batch, across repeated kills', async () => {
    const postgresUrl = await server.createDatabase('crash');
    await killRounds(settingsWith({ kind: 'postgres', postgresUrl }));
  }, 120_000);
});
