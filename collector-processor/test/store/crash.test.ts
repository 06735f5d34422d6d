import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite';
import { modelBytes, settingsWith, silentLogger } from './fixtures';

/**
 * kill -9 a process in the middle of writing to the SQLite store, reopen: the store opens, passes
 * SQLite's integrity check, holds every write the child saw resolve, and each batch whole or not at all.
 */
const BATCH = 200;
const WRITER = join(__dirname, 'crash-writer.ts');

interface Reported {
  batches: number[];
  models: { version: number; seed: number }[];
  miners: number[];
}

/** Run the writer until it has reported `minBatches` batches (plus a random extra delay), then SIGKILL it. */
function runAndKill(
  dataDir: string,
  sync: 'normal' | 'full',
  firstBatch: number,
  minBatches: number,
): Promise<Reported> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, sync, String(firstBatch), String(BATCH)], {
    cwd: __dirname,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

async function checkStore(dataDir: string, sync: 'normal' | 'full', rounds: Reported[]): Promise<number> {
  const store = new SqliteStore(settingsWith({ kind: 'sqlite', dataDir, sqliteSynchronous: sync }), silentLogger);
  await store.open();
  try {
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Every batch has BATCH rows or none (transactions are atomic), and every reported batch is there.
    const counts = store.db
      .prepare(`SELECT substr(id, 2, instr(id, '-') - 2) AS batch, count(*) AS n FROM anomalies GROUP BY batch`)
      .all() as { batch: string; n: number }[];
    const stored = new Map(counts.map((c) => [Number(c.batch), c.n]));
    for (const n of stored.values()) expect(n).toBe(BATCH);
    const reported = rounds.flatMap((r) => r.batches);
    for (const b of reported) expect(stored.has(b)).toBe(true);
    // The last round's model and miner state: the last reported one, or a later one committed just before the kill.
    const last = rounds[rounds.length - 1];
    const active = await store.loadActiveModel('web');
    const lastModel = last.models[last.models.length - 1];
    if (lastModel) {
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

describe('SqliteStore after kill -9', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const sync of ['normal', 'full'] as const) {
    it(`opens and keeps every acknowledged write (synchronous=${sync}), across repeated kills`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'anomalog-crash-'));
      dirs.push(dataDir);
      const rounds: Reported[] = [];
      let next = 0;
      for (let round = 0; round < 3; round++) {
        const reported = await runAndKill(dataDir, sync, next, 25 + round * 7);
        rounds.push(reported);
        expect(reported.batches.length).toBeGreaterThanOrEqual(25);
        const storedBatches = await checkStore(dataDir, sync, rounds);
        // At most one batch committed but not yet reported when the kill landed, per round.
        expect(storedBatches - rounds.reduce((s, r) => s + r.batches.length, 0)).toBeLessThanOrEqual(rounds.length);
        next = reported.batches[reported.batches.length - 1] + 2; // beyond a batch committed but not reported
      }
    }, 120_000);
  }
});
