/**
 * Feedback fine-tunes the LSTM (DeepLog's online update): a session marked normal is learnt in the
 * training worker and stored as a new model version, after which the same sequence passes.
 */
import { openBlockPipeline, session } from '../lifecycle/block-pipeline';
import { batchOf, logRecord } from '../lifecycle/records';

// This suite trains and fine-tunes models (TF.js): slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(240_000);

test('marking a sequence anomaly normal fine-tunes the LSTM into a new version; the sequence then passes', async () => {
  const { store, parse, manager, detect, send, start, close } = await openBlockPipeline({
    learning: { records: 400, retrainEveryMinutes: 0 },
    lstm: { window: 3, topG: 1, hidden: 8, layers: 1, epochs: 60 },
    // a small LSTM on 400 records puts a skipped step near p = 1e-3, not under the default 1e-4
    lstmRecordRate: 0.01,
  });
  try {
    const learning: string[] = [];
    for (let id = 0; learning.length < 400; id++) learning.push(...session(id));
    await send(learning.slice(0, 400));
    await manager.idle();
    expect((await manager.versions('storage')).map((v) => v.version)).toEqual([1]);

    // 'responder terminating' straight after 'received block of size' ('block added to map' skipped)
    const skip = [0, 1, 2, 4];
    const first = await send(session(5000, skip));
    expect(first.map((f) => f.isAnomaly)).toEqual([false, false, false, true]);
    expect(first[3].detector).toBe('lstm');
    await detect.flush();
    const [anomaly] = (await store.queryAnomalies({ service: 'storage', detector: 'lstm' })).items;
    expect(anomaly.sessionId).toBe('blk_5000');

    await manager.feedback({ kind: 'anomaly-normal', service: 'storage', anomalyId: anomaly.id });
    await manager.idle();
    const versions = await manager.versions('storage');
    const tuned = versions.find((v) => v.version === 2)!;
    expect(tuned).toMatchObject({
      active: true,
      detectors: ['isolation-forest', 'lstm'],
      records: versions[1].records,
    });
    expect(tuned.metrics).toMatchObject({
      fine_tuned_from_version: 1,
      lstm_update_sessions: 1,
      lstm_update_flagged_before: 1,
      lstm_update_flagged_after: 0,
    });
    expect(manager.services()[0]).toMatchObject({ activeVersion: 2, status: 'scoring' });

    // the same sequence in a new session passes; the usual order still passes, and a different
    // disorder is still flagged
    const again = await send(session(5001, skip));
    expect(again.filter((f) => f.isAnomaly)).toEqual([]);
    expect((await send(session(5002))).filter((f) => f.isAnomaly)).toEqual([]);
    const other = await send(session(5003, [0, 3, 1, 2, 4]));
    expect(other.find((f) => f.isAnomaly)).toMatchObject({ detector: 'lstm' });

    // a retraining from scratch keeps the marked session learnt (the fresh LSTM is fine-tuned on it)
    manager.train('storage');
    await manager.idle();
    const retrained = (await manager.versions('storage')).find((v) => v.version === 3)!;
    expect(retrained.metrics).toMatchObject({ lstm_update_sessions: 1, lstm_update_flagged_after: 0 });
    expect((await send(session(5004, skip))).filter((f) => f.isAnomaly)).toEqual([]);

    // ... also after a restart: the marked sessions come back from the stored feedback
    const { manager: manager2, detect: detect2 } = await start();
    const more: string[] = [];
    for (let id = 6000; more.length < 200; id++) more.push(...session(id));
    const b = batchOf(
      'storage',
      more.map((l) => logRecord(l)),
    );
    parse.process(b);
    await detect2.process(b);
    await manager2.idle();
    manager2.train('storage');
    await manager2.idle();
    const afterRestart = (await manager2.versions('storage')).find((v) => v.version === 4)!;
    expect(afterRestart.metrics).toMatchObject({ lstm_update_sessions: 1 });
  } finally {
    await close();
  }
}, 180_000); // trains an LSTM four times: slow on a loaded CI machine
