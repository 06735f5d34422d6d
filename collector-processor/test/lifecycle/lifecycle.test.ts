import type { RecordAnnotations } from '../../src/chain/outputs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ModelConfig, StoreConfig, validateWithDefaults, type ModelConfig as ModelConfigT } from '@anomalog/shared';
import { createTemplateStage, type TemplateStage } from '../../src/chain/parse-stage';
import { createDetectStage, type DetectStage } from '../../src/chain/detect-stage';
import { LifecycleManager } from '../../src/lifecycle/manager';
import { ControlError } from '../../src/lifecycle/control';
import { SqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { batchOf, logRecord, normalLines } from './records';
import { batchAnnotations } from '../../src/chain/stage';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

const logger = pino({ level: 'silent' });

function modelConfig(overrides: Record<string, unknown> = {}): ModelConfigT {
  const v = validateWithDefaults(ModelConfig, {
    learning: { records: 500 },
    detectors: {
      lof: { enabled: false },
      'one-class-svm': { enabled: false },
      autoencoder: { enabled: false },
      lstm: { enabled: false },
    },
    ...overrides,
  });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.value;
}

interface Rig {
  store: Store;
  parse: TemplateStage;
  manager: LifecycleManager;
  detect: DetectStage;
  send(service: string, messages: string[], severity?: number): Promise<RecordAnnotations[]>;
}

async function rig(
  dir: string,
  defaults = modelConfig(),
  detectOptions: { contextLinesAfter?: number; contextAfterWaitMs?: number } = {},
): Promise<Rig> {
  const sc = validateWithDefaults(StoreConfig, { dataDir: dir });
  if (!sc.ok) throw new Error('store config');
  const store = new SqliteStore(sc.value, logger);
  await store.open();
  const parse = createTemplateStage();
  const manager = new LifecycleManager({
    store,
    defaults,
    logger,
    maxServices: 10,
    templatesOf: () => [],
  });
  const detect = createDetectStage({ manager, store, logger, contextLines: 3, ...detectOptions });
  return {
    store,
    parse,
    manager,
    detect,
    async send(service, messages, severity = 9) {
      const b = batchOf(
        service,
        messages.map((m) => logRecord(m, severity)),
      );
      parse.process(b);
      await detect.process(b);
      return batchAnnotations(b);
    },
  };
}

describe('model lifecycle through the detect stage', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'anomalog-lc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('learns on the first N records unscored, then scores: normal passes, unseen and rare templates are flagged', async () => {
    const r = await rig(dir);
    const learning = await r.send('web', normalLines(500));
    expect(learning.every((f) => f.unscored && f.score === undefined)).toBe(true);
    await r.manager.idle();
    const [summary] = r.manager.services();
    expect(summary).toMatchObject({ service: 'web', status: 'scoring', activeVersion: 1, recordsSeen: 500 });

    const normal = await r.send('web', normalLines(2000, 7));
    const flagged = normal.filter((f) => f.isAnomaly).length / normal.length;
    expect(normal.every((f) => !f.unscored && f.score! >= 0 && f.score! <= 1)).toBe(true);
    expect(flagged).toBeLessThan(0.03);

    const [unseen] = await r.send('web', ['kernel panic: segfault in worker 17 at 0xdeadbeef']);
    expect(unseen).toMatchObject({ isAnomaly: true, detector: 'unseen-template' });
    // over the threshold by the template's rarity (under 1 in 501 records), never pinned at 1
    expect(unseen.score).toBeGreaterThanOrEqual(0.5);
    expect(unseen.score).toBeLessThan(1);
    expect(unseen.reason).toMatch(/^unseen template/);

    await r.detect.flush();
    const page = await r.store.queryAnomalies({ service: 'web', limit: 1000 });
    expect(page.items.map((a) => a.reason)).toContain(unseen.reason);
    const stored = await r.store.getAnomaly(page.items.find((a) => a.reason === unseen.reason)!.id);
    expect(stored!.context.length).toBe(3);
    await r.store.close();
  });

  test('stores the lines after an anomaly once they arrive, and those that came when the wait passes', async () => {
    const r = await rig(dir, modelConfig(), { contextLinesAfter: 2, contextAfterWaitMs: 200 });
    await r.send('web', normalLines(500));
    await r.manager.idle();
    const [first] = await r.send('web', ['kernel panic: segfault in worker 17 at 0xdeadbeef']);
    expect(first.isAnomaly).toBe(true);
    const next = normalLines(3, 11);
    await r.send('web', next);
    const [last] = await r.send('web', ['disk quota exceeded for user 42']);
    expect(last.isAnomaly).toBe(true);
    await r.detect.flush();
    const page = await r.store.queryAnomalies({ service: 'web', limit: 10, sort: 'time', order: 'asc' });
    const idOf = (message: string) => page.items.find((a) => a.message === message)!.id;
    const firstStored = await r.store.getAnomaly(idOf(first.message));
    expect(firstStored!.contextAfter!.map((l) => l.message)).toEqual(next.slice(0, 2));
    // Nothing came after the last one: it waits, then is written with no lines.
    expect((await r.store.getAnomaly(idOf(last.message)))!.contextAfter).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await r.detect.flush();
    expect((await r.store.getAnomaly(idOf(last.message)))!.contextAfter).toEqual([]);
    await r.detect.close?.();
    await r.store.close();
  });

  test('versions, rollback, feedback and restart from the store', async () => {
    const r = await rig(dir);
    await r.send('web', normalLines(500));
    await r.manager.idle();
    const job = r.manager.train('web');
    expect(() => r.manager.train('web')).toThrow(ControlError);
    await r.manager.idle();
    expect(r.manager.job(job.id)).toMatchObject({ state: 'done', version: 2 });
    const versions = await r.manager.versions('web');
    expect(versions.map((v) => [v.version, v.active])).toEqual(
      expect.arrayContaining([
        [1, false],
        [2, true],
      ]),
    );
    await r.manager.activate('web', 1);
    expect(r.manager.services()[0].activeVersion).toBe(1);
    await expect(r.manager.activate('web', 99)).rejects.toThrow(/no model version 99/);

    // A template marked normal is never anomalous again.
    const [f] = await r.send('web', ['disk quota exceeded for user 42']);
    expect(f.isAnomaly).toBe(true);
    await r.manager.feedback({ kind: 'template-normal', service: 'web', templateId: f.templateId! });
    const [again] = await r.send('web', ['disk quota exceeded for user 43']);
    expect(again).toMatchObject({ templateId: f.templateId, isAnomaly: false });
    await r.detect.flush();
    const suppressed = await r.store.queryAnomalies({ service: 'web', templateId: f.templateId });
    expect(suppressed.items.every((a) => a.suppressed)).toBe(true);
    await r.store.close();

    // A new process on the same store scores from its first record with the active version.
    const r2 = await rig(dir);
    const first = await r2.send('web', normalLines(1, 3));
    expect(first[0].unscored).toBeUndefined(); // the stored model is read before the first batch
    expect(first[0].score).toBeGreaterThanOrEqual(0);
    expect(r2.manager.services()[0]).toMatchObject({ status: 'scoring', activeVersion: 1 });
    const later = await r2.send('web', ['disk quota exceeded for user 44']);
    expect(later[0]).toMatchObject({ isAnomaly: false, score: 0 });
    await r2.store.close();
  });

  test('a broken stored model: the service learns again and says why', async () => {
    const r = await rig(dir);
    await r.send('web', normalLines(500));
    await r.manager.idle();
    await r.store.saveModel({
      info: { ...(await r.store.listModels('web'))[0], service: 'web', version: 0, active: true },
      bytes: new TextEncoder().encode('{"format":"nope"}'),
    });
    await r.store.close();
    const r2 = await rig(dir);
    await r2.send('web', normalLines(10));
    await r2.manager.idle();
    const [s] = r2.manager.services();
    expect(s.status).toBe('learning');
    expect(s.lastError).toMatch(/stored model not restored.*not an anomalog-service-model/);
    await expect(r2.manager.activate('web', 2)).rejects.toThrow(/cannot be loaded/);
    await r2.store.close();
  });

  test('a bad session regex or an empty session attribute in a configuration update is refused with the reason', async () => {
    const r = await rig(dir);
    await r.send('web', normalLines(5));
    const bad = modelConfig({ sessionKey: { kind: 'regex', regex: 'blk_(' } });
    await expect(r.manager.setConfig('web', bad)).rejects.toThrow(/sessionKey.regex: Not a valid regular expression/);
    const noAttribute = modelConfig({ sessionKey: { kind: 'attribute', attribute: ' ' } });
    await expect(r.manager.setConfig('web', noAttribute)).rejects.toThrow(/sessionKey.attribute: Name the attribute/);
    const good = modelConfig({ sessionKey: { kind: 'regex', regex: 'item-\\d+' } });
    await r.manager.setConfig('web', good);
    const [f] = await r.send('web', ['cache hit for key item-77']);
    expect(f.sessionId).toBe('item-77');
    await r.store.close();
  });

  test('a configuration or feedback naming a service never seen is refused as unknown, and nothing is stored', async () => {
    const r = await rig(dir);
    await r.send('web', normalLines(5));
    const unknown = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ kind: 'unknown-service' });
    await unknown(r.manager.setConfig('nobody', modelConfig()));
    await unknown(r.manager.feedback({ kind: 'template-normal', service: 'nobody', templateId: 't1' }));
    await unknown(r.manager.feedback({ kind: 'anomaly-normal', service: 'web', anomalyId: 'no-such-anomaly' }));
    expect(await r.store.getModelConfig('nobody')).toBeUndefined();
    expect(await r.store.listFeedback('nobody')).toEqual([]);
    expect(await r.store.listFeedback('web')).toEqual([]);
    await r.manager.setConfig('web', modelConfig());
    await r.store.close();
  });

  test('session regexes run in linear time: the first capture group is the key, backtracking patterns cannot stall', async () => {
    const r = await rig(dir);
    await r.send('web', normalLines(5));
    await r.manager.setConfig('web', modelConfig({ sessionKey: { kind: 'regex', regex: 'req=(\\w+)' } }));
    const [f] = await r.send('web', ['GET /x req=ab12 took 3 ms']);
    expect(f.sessionId).toBe('ab12');
    // catastrophic under a backtracking engine (doubling per character); here an ordinary line
    await r.manager.setConfig('web', modelConfig({ sessionKey: { kind: 'regex', regex: '^(x+x+)+y' } }));
    const [g] = await r.send('web', ['x'.repeat(20000)]);
    expect(g.sessionId).toBeUndefined();
    const backref = modelConfig({ sessionKey: { kind: 'regex', regex: '(a)\\1' } });
    await expect(r.manager.setConfig('web', backref)).rejects.toThrow(/sessionKey\.regex: .*RE2.*first capture group/);
    await r.store.close();
  });
});
