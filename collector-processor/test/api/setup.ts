import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateWithDefaults, ApiConfig, type ServiceSummary, type TemplateInfo } from '@anomalog/shared';
import type { Static } from '@sinclair/typebox';
import { startApiServer } from '../../src/api/server';
import { createBenchmarkRunner, type BenchmarkService } from '../../src/api/benchmarks/runner';
import type { AnomalyRecord, Store } from '../../src/store/store';
import { createLogger } from '../../src/telemetry/logger';
import { FakeControl } from './fake-control';
import { MemoryStore } from './memory-store';

export const SERVICES: ServiceSummary[] = [
  { service: 'web', status: 'scoring', recordsSeen: 5000, templates: 2, anomalies: 2, learningProgress: 1 },
  { service: 'db', status: 'learning', recordsSeen: 40, templates: 1, anomalies: 1, learningProgress: 0.4 },
];

export const TEMPLATES: TemplateInfo[] = [
  {
    service: 'web',
    templateId: 't1',
    template: 'GET <*> 200',
    count: 4990,
    firstSeen: '2026-11-24T09:00:00.000Z',
    lastSeen: '2026-11-24T10:00:00.000Z',
    suppressed: false,
  },
  {
    service: 'web',
    templateId: 't2',
    template: 'disk <*> failed',
    count: 10,
    firstSeen: '2026-11-24T09:30:00.000Z',
    lastSeen: '2026-11-24T09:40:00.000Z',
    suppressed: false,
  },
];

export function anomaly(id: string, time: string, service: string, score: number, templateId = 't2'): AnomalyRecord {
  return {
    id,
    time,
    service,
    templateId,
    template: 'disk <*> failed',
    message: `disk ${id} failed`,
    score,
    detector: score > 0.9 ? 'lstm' : 'isolation-forest',
    reason: 'rare template (1 in 500)',
    suppressed: false,
    attributes: { 'host.name': 'h1' },
    context: [{ time, templateId: 't1', message: 'GET /x 200', isAnomaly: false }],
    explanation: { reason: 'rare template (1 in 500)', features: [{ name: 't2', weight: 0.8 }] },
  };
}

export const ANOMALIES = [
  anomaly('a1', '2026-11-24T09:31:00.000Z', 'web', 0.95),
  anomaly('a2', '2026-11-24T09:35:00.000Z', 'web', 0.7),
  anomaly('a3', '2026-11-24T09:50:00.000Z', 'db', 0.8, 't9'),
];

export function apiConfig(overrides: Partial<Static<typeof ApiConfig>> = {}): Static<typeof ApiConfig> {
  const v = validateWithDefaults(ApiConfig, overrides);
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.value;
}

/** A datasets dir with two named datasets (folders), for the benchmark double. */
export function datasetsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-api-ds-'));
  for (const name of ['hdfs', 'slow', 'fail', 'crash', 'hang']) mkdirSync(join(dir, name));
  return dir;
}

export async function setup(
  overrides: Partial<Static<typeof ApiConfig>> = {},
  store: Store = new MemoryStore(),
  runner?: BenchmarkService,
) {
  await store.open();
  await store.insertAnomalies(ANOMALIES.map((a) => structuredClone(a)));
  const control = new FakeControl(store, SERVICES, TEMPLATES);
  const logger = createLogger('silent');
  const datasets = datasetsDir();
  const benchmarks =
    runner ??
    createBenchmarkRunner({
      datasetsDir: datasets,
      module: join(__dirname, 'benchmark-double.ts'),
      logger,
    });
  const api = await startApiServer(apiConfig({ endpoint: '127.0.0.1:0', ...overrides }), {
    control,
    store,
    benchmarks,
    logger,
    version: '0.1.0-test',
  });
  const close = async () => {
    await api.close();
    await benchmarks.close();
    await store.close();
    rmSync(datasets, { recursive: true, force: true });
  };
  const request = (method: string, path: string, init: { payload?: unknown; headers?: Record<string, string> } = {}) =>
    call(api.url, method, path, init);
  return { api, request, store, control, benchmarks, authRequired: api.authRequired, close };
}

export interface Answer {
  statusCode: number;
  headers: Headers;
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json(): any;
}

/** One HTTP call to the API on 127.0.0.1; objects are sent as JSON, strings as they are. */
export async function call(
  base: string,
  method: string,
  path: string,
  init: { payload?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (typeof init.payload === 'string') body = init.payload;
  else if (init.payload !== undefined) body = JSON.stringify(init.payload);
  // as the Grafana app's client does: every state-changing call says JSON, with a body or not
  if (method !== 'GET' && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  // node:http rather than fetch: fetch replaces a Host header, and tests send foreign ones
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, String(v));
        resolve({ statusCode: res.statusCode ?? 0, headers: h, body: text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
