import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ModelConfig, StoreConfig, validateWithDefaults } from '@anomalog/shared';
import { createTemplateStage } from '../../src/parse/stage';
import { createDetectStage } from '../../src/lifecycle/detect-stage';
import { LifecycleManager } from '../../src/lifecycle/manager';
import { SqliteStore } from '../../src/store/sqlite';
import { batchOf, logRecord } from './records';

const logger = pino({ level: 'silent' });
const STEPS = [
  'allocate block',
  'receiving block from peer',
  'received block of size',
  'block added to map',
  'responder terminating',
];
/** A block's normal life: the steps in order (one next template is right at each step, so top-1 is exact). */
function session(id: number, order = [0, 1, 2, 3, 4]): string[] {
  const lines: string[] = [];
  for (const k of order) lines.push(`blk_${id} ${STEPS[k]}`);
  return lines;
}

test('the live LSTM learns session order and flags a record out of order, with the expected templates', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-seq-'));
  const sc = validateWithDefaults(StoreConfig, { dataDir: dir });
  const mc = validateWithDefaults(ModelConfig, {
    sessionKey: { kind: 'regex', regex: 'blk_\\d+' },
    learning: { records: 400 },
    detectors: {
      'one-class-svm': { enabled: false },
      lof: { enabled: false },
      autoencoder: { enabled: false },
      lstm: { params: { window: 3, topG: 1, hidden: 16, layers: 1, epochs: 150 } },
    },
  });
  if (!sc.ok || !mc.ok) throw new Error('config');
  const store = new SqliteStore(sc.value, logger);
  await store.open();
  const parse = createTemplateStage();
  const manager = new LifecycleManager({ store, defaults: mc.value, logger, maxServices: 5, templatesOf: () => [] });
  const detect = createDetectStage({
    manager,
    store,
    logger,
    contextLines: 5,
    templateText: (id) => parse.miner.templateText(id),
  });
  const send = async (lines: string[]) => {
    const b = batchOf(
      'storage',
      lines.map((l) => logRecord(l)),
    );
    parse.process(b);
    await detect.process(b);
    return b.facts;
  };
  try {
    // Interleave sessions as a real stream would: two blocks at a time.
    const learning: string[] = [];
    for (let id = 0; learning.length < 400; id += 2) {
      const a = session(id);
      const b = session(id + 1);
      for (let i = 0; i < Math.max(a.length, b.length); i++)
        learning.push(...(a[i] ? [a[i]] : []), ...(b[i] ? [b[i]] : []));
    }
    await send(learning.slice(0, 400));
    await manager.idle();
    const trained = await manager.versions('storage');
    expect(trained[0].detectors).toEqual(['isolation-forest', 'lstm']);
    expect(trained[0].metrics.lstm_fit_s).toBeGreaterThan(0);

    const normal = await send([...session(1001), ...session(1002)]);
    expect(normal.filter((f) => f.isAnomaly)).toEqual([]);
    const broken = await send(session(2001, [0, 3, 1, 2, 4]));
    const flagged = broken.find((f) => f.isAnomaly)!;
    expect(flagged).toMatchObject({ detector: 'lstm', sessionId: 'blk_2001' });
    expect(manager.openSessions()).toBe(3); // blk_1001, blk_1002, blk_2001: the sessions-open gauge

    // A session idle past sessionKey.inactivitySeconds (300 s) is closed: the same id seen again
    // starts a new session, whose first record is expected to be "allocate block".
    const at = (line: string, ms: number) => ({ ...logRecord(line), timeUnixNano: BigInt(ms) * 1_000_000n });
    const t0 = Date.now();
    const early = batchOf(
      'storage',
      session(4001)
        .slice(0, 2)
        .map((l) => at(l, t0)),
    );
    parse.process(early);
    await detect.process(early);
    const late = batchOf(
      'storage',
      session(4001)
        .slice(2)
        .map((l) => at(l, t0 + 10 * 60_000)),
    );
    parse.process(late);
    await detect.process(late);
    expect(early.facts.some((f) => f.isAnomaly)).toBe(false);
    expect(late.facts[0]).toMatchObject({ isAnomaly: true, detector: 'lstm', sessionId: 'blk_4001' });
    expect(manager.openSessions()).toBe(1); // the others went idle too
    expect(flagged.message).toBe('blk_2001 block added to map');
    expect(flagged.reason).toMatch(
      // The probability rule (the LSTM's default): p of the record under the threshold fitted in training.
      /^template improbable here \(p=[\d.e-]+, below 0\.010\) in session blk_2001; expected "<\*> receiving block from peer" \([01]\.\d\d\)/,
    );

    // Restart: the stored model brings its LSTM back.
    await store.close();
    await store.open();
    const manager2 = new LifecycleManager({ store, defaults: mc.value, logger, maxServices: 5, templatesOf: () => [] });
    const detect2 = createDetectStage({ manager: manager2, store, logger, contextLines: 5 });
    const b = batchOf('storage', [logRecord('blk_3000 allocate block')]);
    parse.process(b);
    await detect2.process(b);
    const again = batchOf(
      'storage',
      session(3001, [0, 3, 1, 2, 4]).map((l) => logRecord(l)),
    );
    parse.process(again);
    await detect2.process(again);
    expect(again.facts.find((f) => f.isAnomaly)).toMatchObject({ detector: 'lstm' });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
