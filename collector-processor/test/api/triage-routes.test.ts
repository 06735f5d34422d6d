import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelConfig, StoreConfig, validateWithDefaults, type Incident } from '@anomalog/shared';
import { createAnnotationChain } from '../../src/chain/create';
import { LiveSuppressions } from '../../src/chain/suppressions';
import { startApiServer } from '../../src/api/server';
import { createBenchmarkRunner } from '../../src/api/benchmarks/runner';
import { SqliteStore } from '../../src/store/sqlite';
import { createTriageStore } from '../../src/store/triage-create';
import { createLogger } from '../../src/telemetry/logger';
import { batchOf, logRecord, normalLines } from '../lifecycle/records';
import { apiConfig, call, datasetsDir } from './setup';
import { batchAnnotations } from '../../src/chain/stage';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

/**
 * The triage routes over a real chain: a SQLite store, a trained Isolation Forest, the detect stage
 * with live suppressions and incident grouping, and the HTTP API on a socket.
 */
async function rig() {
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-triage-api-'));
  const logger = createLogger('silent');
  const sc = validateWithDefaults(StoreConfig, { dataDir: dir });
  const mc = validateWithDefaults(ModelConfig, {
    learning: { records: 500 },
    detectors: {
      lof: { enabled: false },
      'one-class-svm': { enabled: false },
      autoencoder: { enabled: false },
      lstm: { enabled: false },
    },
  });
  if (!sc.ok || !mc.ok) throw new Error('config');
  const store = new SqliteStore(sc.value, logger);
  await store.open();
  const triage = await createTriageStore(sc.value, store);
  const suppressions = new LiveSuppressions(await triage.listSuppressions());
  const chain = await createAnnotationChain(
    { detection: { defaultModel: mc.value, maxServices: 10, contextLines: 3 } },
    {
      logger,
      store,
      triage: { suppressions, incidents: { record: (a) => triage.recordIncidents(a, 60_000) } },
    },
  );
  const { manager, detect } = chain;
  if (!manager || !detect) throw new Error('the chain was built without its detect stage');
  const datasets = datasetsDir();
  const benchmarks = createBenchmarkRunner({
    datasetsDir: datasets,
    module: join(__dirname, 'benchmark-double.ts'),
    logger,
  });
  const api = await startApiServer(apiConfig({ endpoint: '127.0.0.1:0' }), {
    control: manager,
    store,
    benchmarks,
    logger,
    version: 'test',
    triage: { store: triage, suppressions },
  });
  return {
    async send(messages: string[]) {
      const b = batchOf(
        'web',
        messages.map((m) => logRecord(m)),
      );
      await chain.process(b);
      await detect.flush();
      return batchAnnotations(b);
    },
    manager,
    request: (method: string, path: string, payload?: unknown) => call(api.url, method, `/api/v1${path}`, { payload }),
    async close() {
      await api.close();
      await benchmarks.close();
      await detect.close?.();
      await triage.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(datasets, { recursive: true, force: true });
    },
  };
}

const PANIC = 'kernel panic: segfault in worker 17 at 0xdeadbeef';

describe('triage API over a live chain', () => {
  let r: Awaited<ReturnType<typeof rig>>;
  beforeAll(async () => {
    r = await rig();
    await r.send(normalLines(500));
    await r.manager.idle();
  }, 60_000);
  afterAll(async () => r.close());

  let incident: Incident;

  test('GET /incidents groups a burst of one template into one incident with count, peak and detectors', async () => {
    const flagged = await r.send(Array(5).fill(PANIC));
    expect(flagged.every((f) => f.isAnomaly)).toBe(true);
    const res = await r.request('GET', '/incidents?service=web');
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.total).toBe(1);
    incident = page.items[0];
    expect(incident).toMatchObject({
      service: 'web',
      templateId: flagged[0].templateId,
      count: 5,
      peakScore: Math.max(...flagged.map((f) => f.score!)),
      detectors: ['unseen-template'],
      status: 'open',
      sampleMessage: PANIC,
    });
    expect((await r.request('GET', '/incidents?status=resolved')).json().total).toBe(0);
    expect((await r.request('GET', '/incidents?from=yesterday')).statusCode).toBe(400);
  });

  test('GET /incidents/:id lists its records; 404 for an unknown one', async () => {
    const res = await r.request('GET', `/incidents/${incident.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().records).toHaveLength(5);
    expect(res.json().records[0]).toMatchObject({ message: PANIC, detector: 'unseen-template' });
    expect(res.json().suppressions).toEqual([]);
    expect((await r.request('GET', '/incidents/nope')).statusCode).toBe(404);
  });

  test('PATCH /incidents/:id sets the status; a bad status is a 400, an unknown incident a 404', async () => {
    const res = await r.request('PATCH', `/incidents/${incident.id}`, { status: 'acknowledged' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('acknowledged');
    expect((await r.request('PATCH', `/incidents/${incident.id}`, { status: 'gone' })).statusCode).toBe(400);
    expect((await r.request('PATCH', '/incidents/nope', { status: 'open' })).statusCode).toBe(404);
  });

  test('GET /aggregate counts per bucket, service and detector', async () => {
    const now = Date.now();
    const res = await r.request('GET', `/aggregate?from=${now - 3_600_000}&to=${now}&stepMs=60000`);
    expect(res.statusCode).toBe(200);
    const total = res.json().buckets.reduce((n: number, b: { count: number }) => n + b.count, 0);
    expect(total).toBe(5);
    const bucket = res.json().buckets[0];
    expect(bucket).toMatchObject({ service: 'web', detector: 'unseen-template' });
    // Quantiles come from a 0.01-wide score histogram; the five records share one score.
    expect(Math.abs(bucket.p50 - incident.peakScore)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(bucket.max - incident.peakScore)).toBeLessThanOrEqual(0.01);
    expect((await r.request('GET', '/aggregate?from=0')).statusCode).toBe(400); // `to` is required
  });

  test('POST /suppressions mutes the template in the live chain at once; DELETE undoes it', async () => {
    const detail = (await r.request('GET', `/incidents/${incident.id}`)).json();
    const res = await r.request('POST', '/suppressions', {
      service: 'web',
      templateId: incident.templateId,
      incidentId: incident.id,
      anomalyId: detail.records[0].id,
      comment: 'known maintenance',
    });
    expect(res.statusCode).toBe(201);
    const s = res.json();
    expect(s).toMatchObject({ service: 'web', templateId: incident.templateId, incidentId: incident.id });
    expect(s.expiresAt).toBeUndefined();
    expect((await r.request('GET', `/incidents/${incident.id}`)).json()).toMatchObject({
      status: 'normal',
      suppressions: [s],
    });
    // the anomaly marked normal shows suppressed (feedback for the next training)
    expect((await r.request('GET', `/anomalies/${detail.records[0].id}`)).json().suppressed).toBe(true);

    const again = await r.send(Array(5).fill(PANIC));
    expect(again.some((f) => f.isAnomaly)).toBe(false);
    expect(again[0].reason).toMatch(
      new RegExp(`^suppressed: unseen-template verdict muted by a user \\(suppression ${s.id}`),
    );
    expect((await r.request('GET', `/incidents/${incident.id}`)).json().count).toBe(5);
    expect((await r.request('GET', '/suppressions')).json()).toEqual([s]);

    expect((await r.request('DELETE', `/suppressions/${s.id}`)).statusCode).toBe(204);
    expect((await r.request('DELETE', `/suppressions/${s.id}`)).statusCode).toBe(404);
    expect((await r.request('GET', `/incidents/${incident.id}`)).json().status).toBe('open');
    const undone = await r.send([PANIC]);
    expect(undone[0].isAnomaly).toBe(true);
  });

  test('a suppression for one detector only leaves other verdicts flagged; a time-limited one mutes until it expires', async () => {
    const templateId = (await r.send([PANIC]))[0].templateId!;
    const lstmOnly = (
      await r.request('POST', '/suppressions', { service: 'web', templateId, detector: 'lstm' })
    ).json();
    expect((await r.send([PANIC]))[0].isAnomaly).toBe(true);
    await r.request('DELETE', `/suppressions/${lstmOnly.id}`);
    const muted = await r.request('POST', '/suppressions', { service: 'web', templateId, durationS: 3600 });
    expect(Date.parse(muted.json().expiresAt) - Date.parse(muted.json().createdAt)).toBe(3_600_000);
    expect((await r.send([PANIC]))[0].isAnomaly).toBe(false);
    await r.request('DELETE', `/suppressions/${muted.json().id}`);
  });

  test('POST /suppressions validates its body and what it names', async () => {
    expect((await r.request('POST', '/suppressions', { service: 'web' })).statusCode).toBe(400);
    expect(
      (await r.request('POST', '/suppressions', { service: 'web', templateId: 't', durationS: 1 })).statusCode,
    ).toBe(400);
    expect(
      (await r.request('POST', '/suppressions', { service: 'web', templateId: 't', incidentId: 'nope' })).statusCode,
    ).toBe(404);
    expect(
      (await r.request('POST', '/suppressions', { service: 'web', templateId: 't', anomalyId: 'nope' })).statusCode,
    ).toBe(404);
    const other = (await r.request('GET', '/anomalies?limit=1')).json().items[0];
    expect(
      (
        await r.request('POST', '/suppressions', {
          service: 'web',
          templateId: 'not-its-template',
          anomalyId: other.id,
        })
      ).statusCode,
    ).toBe(400);
  });
});
