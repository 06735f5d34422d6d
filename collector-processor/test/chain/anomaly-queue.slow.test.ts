import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { METRIC, ModelConfig, StoreConfig, validateWithDefaults, type AnomalyDetail } from '@anomalog/shared';
import { anomalyBytes, anomalyQueue } from '../../src/chain/anomaly-queue';
import { createDetectStage } from '../../src/chain/detect-stage';
import { LifecycleManager } from '../../src/lifecycle/manager';
import { createTemplateStage } from '../../src/chain/parse-stage';
import { SqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { createDetectionMetrics } from '../../src/telemetry/detection-metrics';
import { batchOf, logRecord, normalLines } from '../lifecycle/records';
import { batchAnnotations } from '../../src/chain/stage';

// This suite trains an autoencoder member: slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(120_000);

const logger = pino({ level: 'silent' });

/** The real SQLite store, except that anomaly writes wait until `release()` (a store that hangs). */
function stalledStore(inner: Store): { store: Store; release(): void } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'insertAnomalies') {
        return async (...args: Parameters<Store['insertAnomalies']>) => {
          await gate;
          return target.insertAnomalies(...args);
        };
      }
      const v = Reflect.get(target, key, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { store, release };
}

describe('anomalies waiting for the store', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'anomalog-queue-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('are bounded: past the bound they are counted as not stored while every record is still annotated', async () => {
    const sc = validateWithDefaults(StoreConfig, { dataDir: dir });
    const mc = validateWithDefaults(ModelConfig, {
      learning: { records: 500 },
      detectors: { lof: { enabled: false }, 'one-class-svm': { enabled: false }, lstm: { enabled: false } },
    });
    if (!sc.ok || !mc.ok) throw new Error('config');
    const sqlite = new SqliteStore(sc.value, logger);
    await sqlite.open();
    const { store, release } = stalledStore(sqlite);
    const registry = new Registry();
    const metrics = createDetectionMetrics(registry);
    const manager = new LifecycleManager({ store, defaults: mc.value, logger, maxServices: 4, templatesOf: () => [] });
    const detect = createDetectStage({ manager, store, logger, metrics, contextLines: 2, maxPendingAnomalies: 50 });
    const parse = createTemplateStage();
    const send = async (lines: string[]) => {
      const b = batchOf(
        'web',
        lines.map((m) => logRecord(m, 17)),
      );
      parse.process(b);
      await detect.process(b);
      return batchAnnotations(b);
    };
    await send(normalLines(500));
    await manager.idle();

    const flagged: boolean[] = [];
    for (let i = 0; i < 12; i++) {
      const facts = await send(Array.from({ length: 10 }, (_, j) => `kernel panic: segfault in worker ${i * 10 + j}`));
      flagged.push(...facts.map((f) => f.isAnomaly === true));
    }
    expect(flagged.every(Boolean)).toBe(true);
    const notStored = await registry.getSingleMetric(METRIC.anomaliesNotStored)!.get();
    expect(notStored.values.find((v) => v.labels.reason === 'queue_full')?.value).toBe(70);

    release();
    await detect.flush();
    const page = await sqlite.queryAnomalies({ service: 'web', limit: 1000 });
    expect(page.total).toBe(50);
    await detect.close?.();
    await sqlite.close();
  });
});

describe('anomalyQueue byte bound', () => {
  const anomaly = (message: string): AnomalyDetail => ({
    id: message.slice(0, 8),
    time: new Date(0).toISOString(),
    service: 'web',
    templateId: 't',
    template: 'x <*>',
    message,
    score: 1,
    detector: 'unseen-template',
    reason: 'unseen template',
    suppressed: false,
    attributes: {},
    context: [{ time: new Date(0).toISOString(), templateId: 't', message, isAnomaly: false }],
    explanation: { reason: 'unseen template' },
  });

  test('large anomalies fill it before the count does; the first batch always goes through', async () => {
    const written: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const store = {
      insertAnomalies: async (a: AnomalyDetail[]) => {
        await gate;
        written.push(a.length);
        return a.length;
      },
    } as unknown as Store;
    const registry = new Registry();
    const metrics = createDetectionMetrics(registry);
    const big = (i: number) => anomaly(`${i} `.padEnd(100_000, 'x')); // ~400 KB estimated each
    expect(anomalyBytes(big(0))).toBeGreaterThan(400_000);
    const q = anomalyQueue({ store, logger, metrics, maxPendingAnomalies: 1000, maxPendingAnomalyBytes: 1_000_000 });
    q.push([big(1), big(2), big(3)]); // over the bytes alone, but nothing is pending: accepted
    q.push([big(4)]); // refused: bytes
    q.push([anomaly('small')]); // refused too: the bound is on bytes pending, which are over it
    release();
    await q.drained();
    q.push([big(5)]); // drained: room again
    await q.drained();
    expect(written).toEqual([3, 1]);
    const notStored = await registry.getSingleMetric(METRIC.anomaliesNotStored)!.get();
    expect(notStored.values.find((v) => v.labels.reason === 'queue_full')?.value).toBe(2);
  });
});
