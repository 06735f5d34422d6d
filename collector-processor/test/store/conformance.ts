import type { AnomalyQuery, BenchmarkRun, ModelConfig } from '@anomalog/shared';
import { StoreQueryError } from '../../src/store/errors';
import type { AnomalyRecord, Store } from '../../src/store/store';
import type { Logger } from '../../src/telemetry/logger';
import {
  anomaly,
  iso,
  MINUTE,
  model,
  modelBytes,
  silentLogger,
  T0,
  type Retention,
  type StoreSettings,
} from './fixtures';

/** How a test file gives the suite its backend. */
export interface Backend {
  kind: 'sqlite' | 'postgres';
  /** Settings that point at a new, empty database. */
  fresh(retention?: Partial<Retention>): Promise<StoreSettings>;
  create(settings: StoreSettings, logger?: Logger): Store;
}

const DAY = 86_400_000;

/**
 * The Store contract (store.ts), run against each backend. Every test gets its own empty database;
 * `twin` opens a second store instance on the same database (a second replica).
 */
export function storeConformance(backend: Backend): void {
  const opened: Store[] = [];

  async function openStore(settings: StoreSettings): Promise<Store> {
    const store = backend.create(settings, silentLogger);
    await store.open();
    opened.push(store);
    return store;
  }

  async function fresh(retention?: Partial<Retention>): Promise<{ store: Store; settings: StoreSettings }> {
    const settings = await backend.fresh(retention);
    return { store: await openStore(settings), settings };
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  describe('miner state', () => {
    it('round-trips bytes exactly, per key, and overwrites', async () => {
      const { store } = await fresh();
      expect(await store.loadMinerState('web')).toBeUndefined();
      const bytes = modelBytes(70_000, 3);
      await store.saveMinerState('web', bytes);
      await store.saveMinerState('db', new Uint8Array(0));
      expect(Buffer.from((await store.loadMinerState('web'))!)).toEqual(Buffer.from(bytes));
      expect((await store.loadMinerState('db'))!.byteLength).toBe(0);
      await store.saveMinerState('web', Uint8Array.of(1, 2, 3));
      expect(Array.from((await store.loadMinerState('web'))!)).toEqual([1, 2, 3]);
    });

    it('saves several keys at once, overwriting', async () => {
      const { store } = await fresh();
      await store.saveMinerState('web', Uint8Array.of(1));
      await store.saveMinerStates([
        ['web', Uint8Array.of(2, 2)],
        ['db', Uint8Array.of(3)],
      ]);
      await store.saveMinerStates([]);
      expect(Array.from((await store.loadMinerState('web'))!)).toEqual([2, 2]);
      expect(Array.from((await store.loadMinerState('db'))!)).toEqual([3]);
    });

    it('survives closing and reopening the store', async () => {
      const { store, settings } = await fresh();
      await store.saveMinerState('web', Uint8Array.of(9, 8, 7));
      await store.close();
      const again = await openStore(settings);
      expect(Array.from((await again.loadMinerState('web'))!)).toEqual([9, 8, 7]);
    });
  });

  describe('model configuration', () => {
    it('is undefined until put, then returned as put, and replaced by a later put', async () => {
      const { store } = await fresh();
      expect(await store.getModelConfig('web')).toBeUndefined();
      const config = { learning: { records: 500, minutes: 5, retrainEveryMinutes: 0 } } as unknown as ModelConfig;
      await store.putModelConfig('web', config);
      expect(await store.getModelConfig('web')).toEqual(config);
      expect(await store.getModelConfig('db')).toBeUndefined();
      const next = { ...config, learning: { records: 900, minutes: 1.5, retrainEveryMinutes: 60 } } as ModelConfig;
      await store.putModelConfig('web', next);
      expect(await store.getModelConfig('web')).toEqual(next);
    });
  });

  describe('model versions', () => {
    it('numbers versions per service from 1, ignoring info.version', async () => {
      const { store } = await fresh();
      expect(await store.nextModelVersion('web')).toBe(1);
      const v1 = await store.saveModel(model('web', { version: 42 }));
      const v2 = await store.saveModel(model('web', { version: 1 }));
      const d1 = await store.saveModel(model('db'));
      expect([v1.version, v2.version, d1.version]).toEqual([1, 2, 1]);
      expect(await store.nextModelVersion('web')).toBe(3);
      const listed = await store.listModels('web');
      expect(listed.map((m) => m.version)).toEqual([2, 1]);
      expect(listed[1]).toEqual({ ...model('web').info, version: 1 });
      expect(await store.listModels('nobody')).toEqual([]);
    });

    it('leaves out metrics that are not finite numbers (JSON cannot hold them)', async () => {
      const { store } = await fresh();
      const saved = await store.saveModel(model('web', { metrics: { f1: 0.5, precision: NaN, lift: Infinity } }));
      expect(saved.metrics).toEqual({ f1: 0.5 });
      expect((await store.listModels('web'))[0].metrics).toEqual({ f1: 0.5 });
    });

    it('gives concurrent saves from two store instances distinct consecutive numbers, one active', async () => {
      const { store, settings } = await fresh({ modelVersions: 100 });
      const twin = await openStore(settings);
      const saves = [];
      for (let i = 0; i < 10; i++) {
        saves.push(store.saveModel(model('web', { active: true })));
        saves.push(twin.saveModel(model('web', { active: true })));
      }
      const versions = (await Promise.all(saves)).map((v) => v.version).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const listed = await twin.listModels('web');
      expect(listed).toHaveLength(20);
      expect(listed.filter((m) => m.active)).toHaveLength(1);
    });

    it('activates a new active version, rolls back to an older one, and refuses unknown versions', async () => {
      const { store } = await fresh();
      await store.saveModel(model('web', { active: true }, modelBytes(100, 1)));
      await store.saveModel(model('web', { active: true }, modelBytes(100, 2)));
      await store.saveModel(model('web', { active: false }, modelBytes(100, 3)));
      expect((await store.listModels('web')).map((m) => [m.version, m.active])).toEqual([
        [3, false],
        [2, true],
        [1, false],
      ]);
      const rolled = await store.activateModel('web', 1);
      expect(rolled).toMatchObject({ version: 1, active: true, service: 'web' });
      expect((await store.listModels('web')).filter((m) => m.active).map((m) => m.version)).toEqual([1]);
      const active = await store.loadActiveModel('web');
      expect(active!.info.version).toBe(1);
      expect(Buffer.from(active!.bytes)).toEqual(Buffer.from(modelBytes(100, 1)));
      expect(await store.activateModel('web', 99)).toBeUndefined();
      expect((await store.loadActiveModel('web'))!.info.version).toBe(1);
    });

    it('loads the active model and any version with their bytes exact', async () => {
      const { store } = await fresh();
      expect(await store.loadActiveModel('web')).toBeUndefined();
      await store.saveModel(model('web', { active: false }));
      expect(await store.loadActiveModel('web')).toBeUndefined();
      const big = modelBytes(1_500_000, 7);
      const saved = await store.saveModel(model('web', { active: true }, big));
      const active = await store.loadActiveModel('web');
      expect(active!.info).toEqual(saved);
      expect(active!.bytes.byteLength).toBe(big.byteLength);
      expect(Buffer.compare(Buffer.from(active!.bytes), Buffer.from(big))).toBe(0);
      const first = await store.loadModel('web', 1);
      expect(Buffer.from(first!.bytes)).toEqual(Buffer.from(modelBytes(64)));
      expect(await store.loadModel('web', 3)).toBeUndefined();
    });

    it('keeps the newest modelVersions versions and the active one, on save and on retention', async () => {
      const { store } = await fresh({ modelVersions: 2 });
      await store.saveModel(model('web', { active: true }));
      for (let i = 0; i < 4; i++) await store.saveModel(model('web'));
      expect((await store.listModels('web')).map((m) => m.version)).toEqual([5, 4, 1]);
      await store.activateModel('web', 4);
      await store.saveModel(model('web'));
      expect((await store.listModels('web')).map((m) => m.version)).toEqual([6, 5, 4]);
      await store.saveModel(model('web'));
      expect((await store.listModels('web')).map((m) => m.version)).toEqual([7, 6, 4]);
      // Numbers are never reused after pruning.
      expect(await store.nextModelVersion('web')).toBe(8);
      expect(await store.enforceRetention(Date.now())).toBe(0);
    });

    it('enforceRetention prunes versions left over from a larger limit', async () => {
      const { settings } = await fresh({ modelVersions: 10 });
      const wide = await openStore(settings);
      await wide.saveModel(model('web', { active: true }));
      for (let i = 0; i < 5; i++) await wide.saveModel(model('web'));
      await wide.saveModel(model('db'));
      const narrow = await openStore({ ...settings, retention: { ...settings.retention, modelVersions: 2 } });
      expect(await narrow.enforceRetention(Date.now())).toBe(3);
      expect((await narrow.listModels('web')).map((m) => m.version)).toEqual([6, 5, 1]);
      expect((await narrow.listModels('db')).map((m) => m.version)).toEqual([1]);
    });
  });

  describe('anomalies', () => {
    it('inserts idempotently by id, within and across batches', async () => {
      const { store } = await fresh();
      expect(await store.insertAnomalies([])).toBe(0);
      expect(await store.insertAnomalies([anomaly('a'), anomaly('b')])).toBe(2);
      expect(await store.insertAnomalies([anomaly('b', { score: 0.1 }), anomaly('c')])).toBe(1);
      expect(await store.insertAnomalies([anomaly('a')])).toBe(0);
      expect(await store.insertAnomalies([anomaly('d'), anomaly('d')])).toBe(1);
      expect((await store.queryAnomalies({})).total).toBe(4);
      // The first write wins: a replay does not overwrite.
      expect((await store.getAnomaly('b'))!.score).toBe(0.9);
    });

    it('stores NUL and lone surrogates as U+FFFD, the same on every backend, without failing the batch', async () => {
      const { store } = await fresh();
      const odd = anomaly('o1', {
        message: 'a\u0000b cut emoji \ud83d',
        sessionId: 'blk\u0000',
        attributes: { 'k\u0000': 'v\udc00w', ok: '😀', list: ['\u0000'] },
        context: [{ time: iso(T0), templateId: 't0', message: '\ud83d\u0000', isAnomaly: false }],
      });
      expect(await store.insertAnomalies([odd, anomaly('o2')])).toBe(2);
      const got = await store.getAnomaly('o1');
      expect(got!.message).toBe('a\ufffdb cut emoji \ufffd');
      expect(got!.sessionId).toBe('blk\ufffd');
      expect(got!.attributes).toEqual({ 'k\ufffd': 'v\ufffdw', ok: '😀', list: ['\ufffd'] });
      expect(got!.context[0].message).toBe('\ufffd\ufffd');
    });

    it('answers lookups and filters holding NUL like any other value (no backend error)', async () => {
      const { store } = await fresh();
      await store.insertAnomalies([anomaly('n\u0000', { service: 's\u0000' })]);
      expect((await store.getAnomaly('n\u0000'))!.id).toBe('n\ufffd');
      expect((await store.queryAnomalies({ service: 's\u0000', detector: '\u0000' })).total).toBe(0);
      expect((await store.queryAnomalies({ service: 's\u0000' })).total).toBe(1);
      expect(await store.suppressAnomalies({ id: 'n\u0000', templateId: 't1' })).toBe(1);
      await store.insertFeedback({ kind: 'anomaly-normal', service: 's\u0000', comment: 'x\u0000', time: iso(T0) });
      expect((await store.listFeedback('s\ufffd'))[0].comment).toBe('x\ufffd');
    });

    it('leaves out records no backend can store and inserts the rest of the batch', async () => {
      const { store } = await fresh();
      const batch = [
        anomaly('ok1'),
        anomaly('nan', { score: NaN }),
        anomaly('badtime', { time: 'yesterday' }),
        { ...anomaly('notext'), templateId: undefined } as unknown as AnomalyRecord,
        anomaly('ok2', { context: [{ time: 'garbage', templateId: 't0', message: 'm', isAnomaly: false }] }),
      ];
      expect(await store.insertAnomalies(batch)).toBe(2);
      expect((await store.queryAnomalies({ sort: 'time', order: 'asc' })).items.map((a) => a.id).sort()).toEqual([
        'ok1',
        'ok2',
      ]);
    });

    it('returns one anomaly with its record, context and explanation', async () => {
      const { store } = await fresh({ contextLines: 3 });
      const at = T0 + 10 * MINUTE;
      const context = [-5, -3, -1, 0, 2, 6].map((s, i) => ({
        time: iso(at + s * 1000),
        templateId: `t${i}`,
        message: `line ${i} with "quotes", unicode é✓ and \\ backslash`,
        isAnomaly: s === 0,
      }));
      const full = anomaly('x1', {
        time: iso(at),
        sessionId: 'blk_-42',
        severityText: 'ERROR',
        context,
        attributes: { 'host.name': 'h2', nested: { a: [1, 2, null] }, big: 2 ** 40 },
        explanation: {
          reason: 'template not in top-9 expected',
          expected: [{ templateId: 't7', template: 'ok <*>', probability: 0.25 }],
        },
      });
      await store.insertAnomalies([full, anomaly('x2')]);
      const got = await store.getAnomaly('x1');
      // The 3 context lines nearest the anomaly's time, in their original order.
      expect(got).toEqual({ ...full, context: [context[2], context[3], context[4]] });
      const plain = await store.getAnomaly('x2');
      expect(plain).toEqual(anomaly('x2'));
      expect(plain).not.toHaveProperty('sessionId');
      expect(await store.getAnomaly('nope')).toBeUndefined();
    });

    it('sets the lines after stored anomalies, cut to contextLinesAfter and cleaned; unknown ids skipped', async () => {
      const { store } = await fresh({ contextLinesAfter: 2 });
      const at = T0 + 20 * MINUTE;
      await store.insertAnomalies([anomaly('after-1', { time: iso(at) }), anomaly('after-2', { time: iso(at) })]);
      const line = (s: number, message: string) => ({
        time: iso(at + s * 1000),
        templateId: `t${s}`,
        message,
        isAnomaly: false,
      });
      const changed = await store.setAnomalyContextAfter([
        { id: 'after-1', lines: [line(1, 'next \u0000 one'), line(2, 'then "two"'), line(3, 'three')] },
        { id: 'after-2', lines: [] },
        { id: 'never-stored', lines: [line(1, 'x')] },
      ]);
      expect(changed).toBe(2);
      const got = await store.getAnomaly('after-1');
      expect(got?.contextAfter).toEqual([line(1, 'next \ufffd one'), line(2, 'then "two"')]);
      expect(got?.context.map((l) => l.message)).toEqual(['GET /x 200']);
      expect((await store.getAnomaly('after-2'))?.contextAfter).toEqual([]);
      // A retry writes the same lines again.
      await store.setAnomalyContextAfter([{ id: 'after-2', lines: [line(4, 'four')] }]);
      expect((await store.getAnomaly('after-2'))?.contextAfter).toEqual([line(4, 'four')]);
      expect(await store.getAnomaly('never-stored')).toBeUndefined();
    });

    describe('queries', () => {
      // 8 anomalies over 70 minutes: services web/db, detectors, templates and scores vary.
      const rows: AnomalyRecord[] = [
        anomaly('q1', { time: iso(T0), service: 'web', detector: 'lstm', templateId: 't1', score: 0.5 }),
        anomaly('q2', { time: iso(T0 + 10 * MINUTE), service: 'web', templateId: 't2', score: 0.95 }),
        anomaly('q3', { time: iso(T0 + 20 * MINUTE), service: 'db', templateId: 't1', score: 0.7 }),
        anomaly('q4', { time: iso(T0 + 30 * MINUTE), service: 'db', detector: 'lstm', templateId: 't3', score: 0.99 }),
        anomaly('q5', { time: iso(T0 + 40 * MINUTE), service: 'web', templateId: 't1', score: 0.7 }),
        anomaly('q6', { time: iso(T0 + 50 * MINUTE), service: 'web', detector: 'lstm', templateId: 't2', score: 0.6 }),
        anomaly('q7', { time: iso(T0 + 60 * MINUTE), service: 'db', templateId: 't2', score: 0.8 }),
        anomaly('q8', { time: iso(T0 + 70 * MINUTE), service: 'web', templateId: 't1', score: 0.7 }),
      ];
      let store: Store;
      const ids = async (q: AnomalyQuery) => (await store.queryAnomalies(q)).items.map((a) => a.id);

      beforeEach(async () => {
        store = (await fresh()).store;
        await store.insertAnomalies(rows);
      });

      it('returns all, newest first by default, without the detail fields', async () => {
        const page = await store.queryAnomalies({});
        expect(page.total).toBe(8);
        expect(page.items.map((a) => a.id)).toEqual(['q8', 'q7', 'q6', 'q5', 'q4', 'q3', 'q2', 'q1']);
        const { attributes: _a, context: _c, explanation: _e, ...summary } = rows[7];
        expect(page.items[0]).toEqual(summary);
      });

      it('filters by time range given as ISO time or epoch milliseconds (bounds inclusive)', async () => {
        const from = T0 + 20 * MINUTE;
        const to = T0 + 50 * MINUTE;
        expect(await ids({ from: iso(from), to: iso(to) })).toEqual(['q6', 'q5', 'q4', 'q3']);
        expect(await ids({ from: String(from), to: String(to) })).toEqual(['q6', 'q5', 'q4', 'q3']);
        expect(await ids({ from: '2026-11-24T10:05:00Z' })).toEqual(['q8']);
        expect(await ids({ to: String(T0 + 5 * MINUTE) })).toEqual(['q1']);
        // Fractional epoch milliseconds round inwards.
        expect(await ids({ from: `${from - 0.5}`, to: `${from + 0.5}` })).toEqual(['q3']);
      });

      it('filters by service, detector, template and minimum score, combined with AND', async () => {
        expect(await ids({ service: 'db' })).toEqual(['q7', 'q4', 'q3']);
        expect(await ids({ detector: 'lstm' })).toEqual(['q6', 'q4', 'q1']);
        expect(await ids({ templateId: 't2' })).toEqual(['q7', 'q6', 'q2']);
        expect(await ids({ minScore: 0.8 })).toEqual(['q7', 'q4', 'q2']);
        expect(await ids({ service: 'web', templateId: 't1', minScore: 0.7 })).toEqual(['q8', 'q5']);
        expect((await store.queryAnomalies({ service: 'nobody' })).total).toBe(0);
      });

      it('sorts by score or time either way, ties broken by id so pages are stable', async () => {
        expect(await ids({ sort: 'time', order: 'asc' })).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8']);
        expect(await ids({ sort: 'score', order: 'desc' })).toEqual(['q4', 'q2', 'q7', 'q8', 'q5', 'q3', 'q6', 'q1']);
        expect(await ids({ sort: 'score', order: 'asc' })).toEqual(['q1', 'q6', 'q3', 'q5', 'q8', 'q7', 'q2', 'q4']);
      });

      it('pages with limit and offset; total counts every match', async () => {
        const q: AnomalyQuery = { sort: 'score', order: 'desc', limit: 3 };
        const pages = [];
        for (let offset = 0; offset < 9; offset += 3) pages.push(await store.queryAnomalies({ ...q, offset }));
        expect(pages.map((p) => p.total)).toEqual([8, 8, 8]);
        expect(pages.flatMap((p) => p.items.map((a) => a.id))).toEqual(await ids({ sort: 'score', order: 'desc' }));
        expect(pages[2].items).toHaveLength(2);
        expect((await store.queryAnomalies({ offset: 100 })).items).toEqual([]);
      });

      it('rejects a from/to that is neither ISO time nor epoch ms with StoreQueryError', async () => {
        for (const bad of ['yesterday', '', '12abc', '1e400', '99999999999999999999'])
          await expect(store.queryAnomalies({ from: bad })).rejects.toBeInstanceOf(StoreQueryError);
        await expect(store.queryAnomalies({ to: 'not-a-time' })).rejects.toThrow(/to "not-a-time"/);
      });
    });

    it('suppresses by id, by template within a service, never twice; an empty filter throws', async () => {
      const { store } = await fresh();
      await store.insertAnomalies([
        anomaly('s1', { templateId: 't1' }),
        anomaly('s2', { templateId: 't1' }),
        anomaly('s3', { templateId: 't2' }),
        anomaly('s4', { templateId: 't1', service: 'db' }),
      ]);
      await expect(store.suppressAnomalies({})).rejects.toBeInstanceOf(StoreQueryError);
      expect(await store.suppressAnomalies({ id: 's3' })).toBe(1);
      expect(await store.suppressAnomalies({ id: 's3' })).toBe(0);
      expect(await store.suppressAnomalies({ service: 'web', templateId: 't1' })).toBe(2);
      const page = await store.queryAnomalies({ sort: 'time', order: 'asc' });
      expect(Object.fromEntries(page.items.map((a) => [a.id, a.suppressed]))).toEqual({
        s1: true,
        s2: true,
        s3: true,
        s4: false,
      });
      expect((await store.getAnomaly('s1'))!.suppressed).toBe(true);
    });

    it('retention deletes anomalies older than anomalyDays, then the oldest beyond maxAnomalies', async () => {
      const now = T0 + 30 * DAY;
      const { store } = await fresh({ anomalyDays: 7, maxAnomalies: 3 });
      const ages = [20, 10, 8, 6, 3, 2, 1, 0.5]; // days
      await store.insertAnomalies(ages.map((d, i) => anomaly(`r${i}`, { time: iso(now - d * DAY) })));
      // r0..r2 are older than 7 days; of r3..r7, the oldest two go over the limit of 3.
      expect(await store.enforceRetention(now)).toBe(5);
      expect((await store.queryAnomalies({ sort: 'time', order: 'asc' })).items.map((a) => a.id)).toEqual([
        'r5',
        'r6',
        'r7',
      ]);
      expect(await store.enforceRetention(now)).toBe(0);
    });

    it('retention deletes in chunks when many rows are due', async () => {
      const now = T0 + 30 * DAY;
      const { store } = await fresh({ anomalyDays: 1, maxAnomalies: 100 });
      const batch: AnomalyRecord[] = [];
      for (let i = 0; i < 12_000; i++) batch.push(anomaly(`c${i}`, { time: iso(now - 2 * DAY - i) }));
      for (let i = 0; i < 150; i++) batch.push(anomaly(`n${i}`, { time: iso(now - i * 1000) }));
      expect(await store.insertAnomalies(batch)).toBe(12_150);
      expect(await store.enforceRetention(now)).toBe(12_050);
      const left = await store.queryAnomalies({ sort: 'time', order: 'asc', limit: 1 });
      expect(left.total).toBe(100);
      expect(left.items[0].id).toBe('n99');
    });
  });

  describe('benchmark runs', () => {
    const run = (id: string, minute: number, f1 = 0.5): BenchmarkRun => ({
      id,
      dataset: 'hdfs-100k',
      detectors: ['lof'],
      state: 'done',
      progress: 1,
      startedAt: iso(T0 + minute * MINUTE),
      results: [
        {
          dataset: 'hdfs-100k',
          detector: 'lof',
          precision: 0.5,
          recall: 0.75,
          f1,
          roc_auc: 0.9,
          pr_auc: 0.6,
          fpr: 0.001,
          fit_s: 1.5,
          score_s: 0.25,
          records_per_s: 12_000,
          roc: [
            [0, 0],
            [1, 1],
          ],
        },
      ],
    });

    it('are listed newest first, replaced by id, kept to the newest `keep`, and survive reopening', async () => {
      const { store, settings } = await fresh();
      expect(await store.listBenchmarkRuns(10)).toEqual([]);
      await store.saveBenchmarkRun(run('a', 1), 3);
      await store.saveBenchmarkRun(run('b', 2), 3);
      await store.saveBenchmarkRun(run('a', 1, 0.7), 3);
      await store.saveBenchmarkRun(run('c', 3), 3);
      await store.saveBenchmarkRun(run('d', 4), 3);
      expect((await store.listBenchmarkRuns(10)).map((r) => r.id)).toEqual(['d', 'c', 'b']);
      expect((await store.listBenchmarkRuns(2)).map((r) => r.id)).toEqual(['d', 'c']);
      await store.close();
      const again = await openStore(settings);
      expect(await again.listBenchmarkRuns(1)).toEqual([run('d', 4)]);
      await again.saveBenchmarkRun(run('b', 2, 0.9), 3);
      expect((await again.listBenchmarkRuns(10)).find((r) => r.id === 'b')!.results[0].f1).toBe(0.9);
    });

    it('are deleted by id; deleting an unknown id says so', async () => {
      const { store } = await fresh();
      await store.saveBenchmarkRun(run('a', 1), 3);
      await store.saveBenchmarkRun(run('b', 2), 3);
      expect(await store.deleteBenchmarkRun('a')).toBe(true);
      expect(await store.deleteBenchmarkRun('a')).toBe(false);
      expect((await store.listBenchmarkRuns(10)).map((r) => r.id)).toEqual(['b']);
    });
  });

  describe('feedback', () => {
    it('is listed per service in insertion order with only the fields given', async () => {
      const { store } = await fresh();
      await store.insertFeedback({ kind: 'anomaly-normal', service: 'web', anomalyId: 'a1', time: iso(T0) });
      await store.insertFeedback({ kind: 'template-normal', service: 'db', templateId: 't9', time: iso(T0 + 1) });
      await store.insertFeedback({
        kind: 'template-normal',
        service: 'web',
        templateId: 't2',
        comment: 'deploy noise',
        time: iso(T0 + 2),
      });
      expect(await store.listFeedback('web')).toEqual([
        { kind: 'anomaly-normal', service: 'web', anomalyId: 'a1', time: iso(T0) },
        { kind: 'template-normal', service: 'web', templateId: 't2', comment: 'deploy noise', time: iso(T0 + 2) },
      ]);
      expect(await store.listFeedback('nobody')).toEqual([]);
    });
  });

  describe('status', () => {
    it('names the backend and reports a healthy store', async () => {
      const { store } = await fresh();
      const status = store.status();
      expect(status).toMatchObject({ kind: backend.kind, diskFull: false, droppedAnomalies: 0 });
      expect(status.location).toEqual(expect.any(String));
      expect(status.lastError).toBeUndefined();
    });
  });
}
