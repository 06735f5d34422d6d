import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ModelConfig, StoreConfig, validateWithDefaults, type ModelConfig as ModelConfigT } from '@anomalog/shared';
import { createTemplateStage } from '../../src/chain/parse-stage';
import { createDetectStage } from '../../src/chain/detect-stage';
import { LifecycleManager } from '../../src/lifecycle/manager';
import { RecordBuffer } from '../../src/training/record-buffer';
import { GroupModel, type GroupAnomaly } from '../../src/model/group-model';
import { bufferGroups, trainGroupModel } from '../../src/training/group-train';
import { ServiceModel } from '../../src/model/service-model';
import { trainServiceModel } from '../../src/training/train';
import { SqliteStore } from '../../src/store/sqlite';
import { batchOf, logRecord } from './records';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

const logger = pino({ level: 'silent' });
const T0 = Date.UTC(2026, 0, 1);

function config(sessionKey: Record<string, unknown>, learning: Record<string, number> = {}): ModelConfigT {
  const v = validateWithDefaults(ModelConfig, {
    sessionKey,
    learning,
    detectors: { autoencoder: { enabled: false }, lstm: { enabled: false } },
  });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.value;
}

/** A seeded mix of a web service's templates: a normal window holds about this share of each. */
function normalMix(n: number, seed: number): string[] {
  let s = seed;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, () => {
    const k = rand();
    return k < 0.5 ? 'get' : k < 0.8 ? 'post' : k < 0.97 ? 'cache' : 'slow';
  });
}

/** 40 one-second windows of 50 normal records each. */
function windowBuffer(): RecordBuffer {
  const b = new RecordBuffer(10_000);
  for (let w = 0; w < 40; w++)
    normalMix(50, w + 1).forEach((t, i) =>
      b.push({ templateId: t, severityNumber: 9, tokens: 5, timeMs: T0 + w * 1000 + i * 20 }),
    );
  return b;
}

/** Feeds one window's templates at second `w`; returns the anomalies of windows that closed. */
function feedWindow(g: GroupModel, w: number, templates: string[]): GroupAnomaly[] {
  const out: GroupAnomaly[] = [];
  templates.forEach((t, i) => g.observe('web', undefined, t, T0 + w * 1000 + i * 10, out));
  return out;
}

describe('session and window count models (live)', () => {
  test('windows: groups the buffer by windowSeconds, flags a window of unusual counts when the next one starts', async () => {
    const cfg = config({ kind: 'window', windowSeconds: 1 });
    const buffer = windowBuffer();
    expect(bufferGroups(buffer, cfg)).toMatchObject({ kind: 'window' });
    expect(bufferGroups(buffer, cfg).groups).toHaveLength(40);
    const trained = await trainGroupModel(buffer, cfg, 7, 1000);
    expect(trained).toBeDefined();
    const g = trained!.model;
    expect(g.members.map((m) => m.name)).toEqual(['isolation-forest', 'one-class-svm', 'lof']);
    expect(trained!.metrics.window_groups).toBe(40);

    expect(feedWindow(g, 100, normalMix(50, 99))).toEqual([]); // opens window 100
    expect(feedWindow(g, 101, ['get', 'get', 'slow', ...Array(40).fill('slow')])).toEqual([]); // closes 100: normal
    expect(g.openGroups).toBe(1);
    const flagged = feedWindow(g, 102, normalMix(50, 5)); // closes 101: mostly slow queries
    expect(flagged).toHaveLength(1);
    const a = flagged[0];
    expect(a).toMatchObject({ kind: 'window', key: `window:${new Date(T0 + 101_000).toISOString()}`, records: 43 });
    expect(a.firstMs).toBe(T0 + 101_000);
    expect(a.score).toBeGreaterThan(0.5);
    // the window's own counts explain it: slow queries too many, cache hits missing
    expect(a.templates).toEqual(expect.arrayContaining([expect.objectContaining({ templateId: 'slow', count: 41 })]));
    // a late record of an earlier window joins the open one instead of reopening a scored window
    expect(feedWindow(g, 50, ['get'])).toEqual([]);
    expect(g.openGroups).toBe(1);
  });

  test('sessions: a session closes after inactivitySeconds of record time and is scored by its counts', async () => {
    const cfg = config({ kind: 'regex', regex: 'blk_\\d+', inactivitySeconds: 5 });
    const b = new RecordBuffer(10_000);
    const steps = ['allocate', 'receive', 'receive', 'receive', 'added', 'terminate'];
    for (let s = 0; s < 60; s++)
      steps.forEach((t, i) =>
        b.push({ templateId: t, severityNumber: 9, tokens: 4, timeMs: T0 + s * 100 + i, sessionId: `blk_${s}` }),
      );
    const trained = await trainGroupModel(b, cfg, 7, 1000);
    const g = trained!.model;
    expect(g.kind).toBe('session');
    g.startAfter(['blk_cut']); // under way when the model started: its start is missing
    const out: GroupAnomaly[] = [];
    const at = T0 + 60_000;
    ['exception', 'exception', 'exception'].forEach((t, i) => g.observe('hdfs', 'blk_cut', t, at - 100 + i, out));
    steps.forEach((t, i) => g.observe('hdfs', 'blk_ok', t, at + i, out));
    // the failing block: allocated, then one exception after another, never added
    ['allocate', 'receive', 'exception', 'exception', 'exception', 'exception'].forEach((t, i) =>
      g.observe('hdfs', 'blk_bad', t, at + 10 + i, out),
    );
    expect(g.openGroups).toBe(3);
    g.observe('hdfs', undefined, 'allocate', at + 4_000, out); // no session: in no group, clock moves on
    expect(out).toEqual([]);
    g.observe('hdfs', 'blk_next', 'allocate', at + 6_000, out); // both went quiet 5 s ago
    expect(out.map((a) => a.key)).toEqual(['blk_bad']); // blk_cut closed too, unscored
    expect(out[0]).toMatchObject({ kind: 'session', records: 6 });
    expect(out[0].templates.some((t) => t.templateId === 'unseen templates' && t.count === 4)).toBe(true);
    // actual against typical: no training session had an unseen template, this one has four
    expect(out[0].deviations).toContainEqual({ templateId: 'unseen templates', actual: 4, mean: 0, low: 0, high: 0 });
    expect(g.openGroups).toBe(1);
    expect(g.scored).toBe(2);

    // restored at start-up (installed over an empty buffer: no ids known): sessions first seen within
    // inactivitySeconds of the model's first record may have begun before it, and are not scored
    const restored = GroupModel.fromJSON(g.toJSON());
    restored.startAfter(new Array<string | undefined>(10));
    const later: GroupAnomaly[] = [];
    const bad = ['allocate', 'exception', 'exception', 'exception', 'exception', 'exception'];
    bad.forEach((t, i) => restored.observe('hdfs', 'blk_early', t, at + i, later));
    bad.forEach((t, i) => restored.observe('hdfs', 'blk_late', t, at + 5_000 + i, later));
    restored.observe('hdfs', 'blk_next', 'allocate', at + 20_000, later);
    expect(later.map((a) => a.key)).toEqual(['blk_late']);
    // the usual ranges are saved with the model
    expect(later[0].deviations).toContainEqual(expect.objectContaining({ templateId: 'unseen templates', actual: 5 }));
  });

  test('windows: the window the first record falls in began before the model and is not scored', async () => {
    const trained = await trainGroupModel(windowBuffer(), config({ kind: 'window', windowSeconds: 1 }), 7, 1000);
    const g = trained!.model;
    const out: GroupAnomaly[] = [];
    // from the middle of window 100: all slow queries, but cut short
    Array.from({ length: 40 }, (_, i) => g.observe('web', undefined, 'slow', T0 + 100_500 + i, out));
    feedWindow(g, 101, ['slow', ...Array(40).fill('slow')]).forEach((a) => out.push(a));
    expect(out).toEqual([]);
    expect(g.scored).toBe(0);
    expect(feedWindow(g, 102, normalMix(50, 3)).map((a) => a.key)).toEqual([
      `window:${new Date(T0 + 101_000).toISOString()}`,
    ]);
  });

  test('too few windows: no group model, and the version says why', async () => {
    const b = new RecordBuffer(1000);
    normalMix(500, 3).forEach((t, i) => b.push({ templateId: t, severityNumber: 9, tokens: 5, timeMs: T0 + i }));
    const cfg = config({ kind: 'window', windowSeconds: 60 });
    expect(await trainGroupModel(b, cfg, 1, 100)).toBeUndefined();
    const r = await trainServiceModel(b, cfg, { seed: 1 });
    expect(r.model.groups).toBeUndefined();
    expect(r.skipped.join(' ')).toMatch(/fewer than 20 windows of 60 s/);
  });

  test('saved with the service model: a loaded copy scores alike; a broken part is a clear error', async () => {
    const cfg = config({ kind: 'window', windowSeconds: 1 });
    const r = await trainServiceModel(windowBuffer(), cfg, { seed: 3 });
    expect(r.model.groups?.kind).toBe('window');
    expect(r.metrics.window_groups).toBe(40);
    const bytes = r.model.serialize();
    const loaded = ServiceModel.load(bytes).groups!;
    const rows = (g: GroupModel) => {
      const cols = g.counts.cols;
      const m = { data: new Float64Array(2 * cols), rows: 2, cols };
      m.data[0] = 5; // 5 of the first template
      m.data[cols + cols - 1] = 3; // 3 unseen
      return Array.from(g.scoreCounts(m));
    };
    expect(rows(loaded)).toEqual(rows(r.model.groups!));

    const header = JSON.parse(new TextDecoder().decode(bytes));
    header.groups.counts.idf = [1, 2];
    expect(() => ServiceModel.load(new TextEncoder().encode(JSON.stringify(header)))).toThrow(/idf weights/);
    header.groups = { kind: 'hourly' };
    expect(() => ServiceModel.load(new TextEncoder().encode(JSON.stringify(header)))).toThrow(
      /session\/window model lacks/,
    );
  });

  test('through the detect stage: a window of unusual counts is stored with its window as session id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anomalog-groups-'));
    const sc = validateWithDefaults(StoreConfig, { dataDir: dir });
    if (!sc.ok) throw new Error('store config');
    const store = new SqliteStore(sc.value, logger);
    await store.open();
    try {
      const parse = createTemplateStage();
      const defaults = config({ kind: 'window', windowSeconds: 1 }, { records: 2000 });
      const manager = new LifecycleManager({ store, defaults, logger, maxServices: 5, templatesOf: () => [] });
      const detect = createDetectStage({
        manager,
        store,
        logger,
        contextLines: 3,
        templateText: (id) => parse.miner.templateText(id),
      });
      const text: Record<string, (i: number) => string> = {
        get: (i) => `GET /api/items/${i} 200`,
        post: (i) => `POST /api/orders/${i} 201`,
        cache: (i) => `cache hit for key item-${i}`,
        slow: (i) => `slow query on table orders took ${i} ms`,
      };
      const send = async (second: number, kinds: string[]) => {
        const records = kinds.map((k, i) => {
          const r = logRecord(text[k](i + 1));
          r.timeUnixNano = BigInt(T0 + second * 1000 + i * 10) * 1_000_000n;
          return r;
        });
        const b = batchOf('web', records);
        parse.process(b);
        await detect.process(b);
      };
      for (let w = 0; w < 40; w++) await send(w, normalMix(50, w + 1));
      await manager.idle();
      const [summary] = manager.services();
      expect(summary.activeVersion).toBe(1);
      await send(41, normalMix(50, 77));
      await send(42, [...Array(45).fill('slow'), 'get']);
      await send(43, normalMix(50, 78)); // closes window 42
      await detect.flush();
      const page = await store.queryAnomalies({ service: 'web', limit: 100 });
      const windows = page.items.filter((a) => a.detector.endsWith('/window'));
      expect(windows).toHaveLength(1);
      const a = windows[0];
      expect(a.sessionId).toBe(`window:${new Date(T0 + 42_000).toISOString()}`);
      expect(a.template).toMatch(/^slow query on table orders took <\*>/);
      expect(a.reason).toMatch(/^unusual template counts in window from .* \(46 records, .*\): /);
      expect(a.reason).toContain(`"${a.template}" ×45`);
      const detail = await store.getAnomaly(a.id);
      expect(detail?.explanation.features?.map((f) => f.name)).toContain(a.template);
      // the slow queries far above their usual count per window, first
      const slow = detail?.explanation.counts?.[0];
      expect(slow).toMatchObject({ template: a.template, actual: 45 });
      expect(slow!.high).toBeLessThan(45);
      expect(slow!.mean).toBeLessThanOrEqual(slow!.high);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
