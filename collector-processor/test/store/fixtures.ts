import { Writable } from 'node:stream';
import pino from 'pino';
import { StoreConfig, validateWithDefaults, type AnomalogConfig, type ModelVersion } from '@anomalog/shared';
import type { Logger } from '../../src/telemetry/logger';
import type { AnomalyRecord, StoredModel } from '../../src/store/store';

export type StoreSettings = AnomalogConfig['store'];
export type Retention = StoreSettings['retention'];

/** Store settings with the schema's defaults, then `over` (retention merged, not validated: tests go below the minimums). */
export function settingsWith(
  over: Partial<Omit<StoreSettings, 'retention'>>,
  retention: Partial<Retention> = {},
): StoreSettings {
  const base = validateWithDefaults(StoreConfig, {});
  if (!base.ok) throw new Error('store defaults do not validate');
  return { ...base.value, ...over, retention: { ...base.value.retention, ...retention } };
}

/** A logger that keeps its JSON lines for assertions. */
export function captureLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  return {
    logger,
    lines: () =>
      out
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * SQLite options for tests that count rows: the low-space mode (low-space.ts) off, so a test machine
 * with little free disk does not change what is stored. low-space.test.ts tests that mode.
 */
export const NO_LOW_SPACE = { lowSpaceBytes: 0 };

export const T0 = Date.parse('2026-11-24T09:00:00.000Z');
export const MINUTE = 60_000;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function anomaly(id: string, over: Partial<AnomalyRecord> = {}): AnomalyRecord {
  const time = over.time ?? iso(T0);
  return {
    id,
    time,
    service: 'web',
    templateId: 't1',
    template: 'disk <*> failed',
    message: `disk ${id} failed`,
    score: 0.9,
    detector: 'isolation-forest',
    reason: 'rare template (1 in 500)',
    suppressed: false,
    attributes: { 'host.name': 'h1', 'http.status_code': 500 },
    context: [{ time, templateId: 't0', message: 'GET /x 200', isAnomaly: false }],
    explanation: { reason: 'rare template (1 in 500)', features: [{ name: 't1', weight: 0.8 }] },
    ...over,
  };
}

export function modelInfo(service: string, over: Partial<ModelVersion> = {}): ModelVersion {
  return {
    version: 999, // ignored by the store
    service,
    createdAt: iso(T0 + 60 * MINUTE),
    trainedFrom: iso(T0),
    trainedTo: iso(T0 + 30 * MINUTE),
    records: 12345,
    detectors: ['isolation-forest', 'lstm'],
    metrics: { f1: 0.91, precision: 0.88 },
    active: false,
    ...over,
  };
}

/** Deterministic pseudo-random bytes (every byte value occurs), as a view at an offset into a larger buffer. */
export function modelBytes(length: number, seed = 1): Uint8Array {
  const backing = new Uint8Array(length + 16);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < backing.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    backing[i] = x & 0xff;
  }
  return backing.subarray(7, 7 + length);
}

export function model(service: string, over: Partial<ModelVersion> = {}, bytes = modelBytes(64)): StoredModel {
  return { info: modelInfo(service, over), bytes };
}
