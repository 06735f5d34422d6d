import { openBlockPipeline, session } from './block-pipeline';
import { batchOf, logRecord } from './records';
import { batchAnnotations } from '../../src/chain/stage';

// This suite trains the sequence model (TF.js LSTM): slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(120_000);

test('the live LSTM learns session order and flags a record out of order, with the expected templates', async () => {
  const { store, parse, manager, detect, send, start, close } = await openBlockPipeline({
    learning: { records: 400 },
    lstm: { window: 3, topG: 1, hidden: 16, layers: 1, epochs: 150 },
    // a small LSTM on 400 records puts an out-of-order record near p = 1e-3, not under the default 1e-4
    lstmRecordRate: 0.01,
  });
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
    // the LSTM's flag on the one score scale: over 0.5, spread by its margin (not pinned at 0.99),
    // and above every record of the normal sessions
    expect(flagged.score).toBeGreaterThanOrEqual(0.5);
    expect(flagged.score).not.toBe(0.99);
    for (const f of normal) expect(f.score!).toBeLessThan(flagged.score!);
    // the sessions-open gauge: blk_1001, blk_1002, blk_2001 and the learning's sessions, which the LSTM
    // took from the buffer (none has been idle for inactivitySeconds yet)
    const learned = new Set(learning.slice(0, 400).map((l) => /blk_\d+/.exec(l)![0]));
    expect(manager.openSessions()).toBe(learned.size + 3);

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
    expect(batchAnnotations(early).some((f) => f.isAnomaly)).toBe(false);
    expect(batchAnnotations(late)[0]).toMatchObject({ isAnomaly: true, detector: 'lstm', sessionId: 'blk_4001' });
    expect(manager.openSessions()).toBe(1); // the others went idle too
    expect(flagged.message).toBe('blk_2001 block added to map');
    expect(flagged.reason).toMatch(
      // The probability rule (the LSTM's default): p of the record under the threshold fitted in training.
      /^template improbable here \(p=[\d.e-]+, below 0\.010\) in session blk_2001; expected "<\*> receiving block from peer" \([01]\.\d\d\)/,
    );

    // The stored anomaly: expected-versus-actual, the LSTM's top expected templates with probabilities.
    await detect.flush();
    const page = await store.queryAnomalies({ service: 'storage', detector: 'lstm', limit: 1000 });
    const stored = await store.getAnomaly(page.items.find((a) => a.message === flagged.message)!.id);
    const expected = stored!.explanation.expected!;
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThanOrEqual(5);
    expect(expected[0].template).toBe('<*> receiving block from peer');
    for (let i = 1; i < expected.length; i++)
      expect(expected[i].probability).toBeLessThanOrEqual(expected[i - 1].probability);

    // Restart: the stored model brings its LSTM back.
    await store.close();
    await store.open();
    const { detect: detect2 } = await start();
    const b = batchOf('storage', [logRecord('blk_3000 allocate block')]);
    parse.process(b);
    await detect2.process(b);
    const again = batchOf(
      'storage',
      session(3001, [0, 3, 1, 2, 4]).map((l) => logRecord(l)),
    );
    parse.process(again);
    await detect2.process(again);
    expect(batchAnnotations(again).find((f) => f.isAnomaly)).toMatchObject({ detector: 'lstm' });
  } finally {
    await close();
  }
}, 60_000);
