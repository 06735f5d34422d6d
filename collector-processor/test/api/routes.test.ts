import { setup } from './setup';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

type Ctx = Awaited<ReturnType<typeof setup>>;
let ctx: Ctx;

beforeEach(async () => {
  ctx = await setup();
});
afterEach(async () => ctx.close());

const get = (url: string) => ctx.request('GET', `/api/v1${url}`);
const send = (method: 'POST' | 'PUT', url: string, payload?: unknown) =>
  ctx.request(method, `/api/v1${url}`, { payload });

describe('read API', () => {
  test('health answers status, version and uptime', async () => {
    const res = await get('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', version: '0.1.0-test' });
    expect(typeof res.json().uptimeS).toBe('number');
  });

  test('services lists the model status of each service', async () => {
    const res = await get('/services');
    expect(res.statusCode).toBe(200);
    expect(res.json().map((s: { service: string; status: string }) => [s.service, s.status])).toEqual([
      ['web', 'scoring'],
      ['db', 'learning'],
    ]);
  });

  test('anomalies: filters, sorting and paging from the query string', async () => {
    const all = (await get('/anomalies')).json();
    expect(all.total).toBe(3);
    expect(all.items.map((a: { id: string }) => a.id)).toEqual(['a3', 'a2', 'a1']); // newest first
    expect(all.items[0].context).toBeUndefined(); // list items are summaries

    const web = (await get('/anomalies?service=web&minScore=0.9')).json();
    expect(web.items.map((a: { id: string }) => a.id)).toEqual(['a1']);

    const byScore = (await get('/anomalies?sort=score&order=asc&limit=2&offset=1')).json();
    expect(byScore.total).toBe(3);
    expect(byScore.items.map((a: { id: string }) => a.id)).toEqual(['a3', 'a1']);

    const tpl = (await get('/anomalies?templateId=t9&detector=isolation-forest')).json();
    expect(tpl.items.map((a: { id: string }) => a.id)).toEqual(['a3']);
  });

  test('anomalies: time range as ISO or epoch milliseconds', async () => {
    const iso = (await get('/anomalies?from=2026-11-24T09:32:00Z&to=2026-11-24T09:55:00Z')).json();
    expect(iso.items.map((a: { id: string }) => a.id).sort()).toEqual(['a2', 'a3']);
    const from = Date.parse('2026-11-24T09:40:00Z');
    const ms = (await get(`/anomalies?from=${from}`)).json();
    expect(ms.items.map((a: { id: string }) => a.id)).toEqual(['a3']);
  });

  test('anomalies: bad query values are 400s naming the field', async () => {
    const score = await get('/anomalies?minScore=2');
    expect(score.statusCode).toBe(400);
    expect(score.json().errors[0].path).toBe('querystring/minScore');
    expect(score.json().message).toMatch(/querystring\/minScore must be <= 1/);

    const limit = await get('/anomalies?limit=abc');
    expect(limit.statusCode).toBe(400);
    expect(limit.json().errors[0].path).toBe('querystring/limit');

    const sort = await get('/anomalies?sort=name');
    expect(sort.statusCode).toBe(400);
    expect(sort.json().message).toMatch(/querystring\/sort/);

    const time = await get('/anomalies?from=yesterday');
    expect(time.statusCode).toBe(400);
    expect(time.json().message).toMatch(/querystring\/from must be an ISO 8601 time or epoch milliseconds/);
  });

  test('one anomaly with context and explanation; unknown id is 404', async () => {
    const res = await get('/anomalies/a1');
    expect(res.statusCode).toBe(200);
    const a = res.json();
    expect(a).toMatchObject({ id: 'a1', service: 'web', score: 0.95, detector: 'lstm' });
    expect(a.context).toEqual([expect.objectContaining({ templateId: 't1', isAnomaly: false })]);
    expect(a.explanation.features).toEqual([{ name: 't2', weight: 0.8 }]);
    expect(a.attributes).toEqual({ 'host.name': 'h1' });

    const missing = await get('/anomalies/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ statusCode: 404, error: 'Not Found', message: 'anomaly not found' });
  });

  test('templates of a service; unknown service is 404', async () => {
    const res = await get('/services/web/templates');
    expect(res.statusCode).toBe(200);
    expect(res.json().map((t: { templateId: string }) => t.templateId)).toEqual(['t1', 't2']);
    expect((await get('/services/db/templates')).json()).toEqual([]);
    expect((await get('/services/ghost/templates')).statusCode).toBe(404);
  });

  test('feedback suppresses and is recorded; missing ids are 400, unknown anomaly 404', async () => {
    const ok = await send('POST', '/feedback', { kind: 'anomaly-normal', service: 'web', anomalyId: 'a2' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'recorded' });
    expect((await get('/anomalies/a2')).json().suppressed).toBe(true);
    expect(await ctx.store.listFeedback('web')).toHaveLength(1);

    const tpl = await send('POST', '/feedback', { kind: 'template-normal', service: 'web', templateId: 't2' });
    expect(tpl.statusCode).toBe(200);
    expect((await get('/anomalies/a1')).json().suppressed).toBe(true);

    const noId = await send('POST', '/feedback', { kind: 'anomaly-normal', service: 'web' });
    expect(noId.statusCode).toBe(400);
    expect(noId.json().message).toMatch(/body\/anomalyId is required/);
    const badKind = await send('POST', '/feedback', { kind: 'maybe', service: 'web' });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().errors.some((e: { path: string }) => e.path === 'body/kind')).toBe(true);
    const unknown = await send('POST', '/feedback', { kind: 'anomaly-normal', service: 'web', anomalyId: 'zz' });
    expect(unknown.statusCode).toBe(404);
    expect(ctx.control.received).toHaveLength(2);
  });

  test('unknown routes and malformed JSON are JSON errors', async () => {
    const route = await get('/nothing-here');
    expect(route.statusCode).toBe(404);
    expect(route.json().message).toMatch(/no route GET \/api\/v1\/nothing-here/);
    const bad = await ctx.request('POST', '/api/v1/feedback', {
      headers: { 'content-type': 'application/json' },
      payload: '{"kind":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/body is not valid JSON/);
  });
});

describe('model API', () => {
  test('GET returns the default config, PUT stores it with defaults filled', async () => {
    const initial = (await get('/services/web/model')).json();
    expect(initial.detectors.lstm.params.window).toBe(10);
    const put = await send('PUT', '/services/web/model', {
      sessionKey: { kind: 'regex', regex: 'blk_-?\\d+' },
      detectors: { lstm: { params: { window: 12 } } },
    });
    expect(put.statusCode).toBe(200);
    const saved = put.json();
    expect(saved.sessionKey).toMatchObject({ kind: 'regex', regex: 'blk_-?\\d+', windowSeconds: 60 });
    expect(saved.detectors.lstm.params).toMatchObject({ window: 12, topG: 9 });
    expect(saved.detectors['isolation-forest'].params.trees).toBe(100);
    expect((await get('/services/web/model')).json().detectors.lstm.params.window).toBe(12);
  });

  test('PUT with invalid values names every bad field', async () => {
    const res = await send('PUT', '/services/web/model', {
      detectors: { lstm: { params: { window: 0 } }, 'isolation-forest': { threshold: { mode: 'guess' } } },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('body/detectors/lstm/params/window');
    expect(paths).toContain('body/detectors/isolation-forest/threshold/mode');
    expect(res.json().message).toMatch(/body\/detectors\/lstm\/params\/window must be >= 1/);
  });

  test('train → job → versions → activate, with 409 while a training runs', async () => {
    const started = await ctx.request('POST', '/api/v1/services/web/train');
    expect(started.statusCode).toBe(202);
    const job = started.json();
    expect(job).toMatchObject({ service: 'web', state: 'running' });

    const again = await send('POST', '/services/web/train');
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/already running/);

    expect((await get(`/jobs/${job.id}`)).json().progress).toBe(0.25);
    await ctx.control.finishTraining(job.id);
    expect((await get(`/jobs/${job.id}`)).json()).toMatchObject({ state: 'done', version: 1 });

    const second = (await send('POST', '/services/web/train')).json();
    await ctx.control.finishTraining(second.id);
    const versions = (await get('/services/web/versions')).json();
    expect(versions.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
      [1, false],
      [2, true],
    ]);
    const rolled = await send('POST', '/services/web/versions/1/activate');
    expect(rolled.statusCode).toBe(200);
    expect(rolled.json()).toMatchObject({ version: 1, active: true });
    expect((await send('POST', '/services/web/versions/7/activate')).statusCode).toBe(404);
    expect((await send('POST', '/services/web/versions/x/activate')).statusCode).toBe(400);
  });

  test('train with a JSON content type and empty body is accepted (as Grafana may send it)', async () => {
    const res = await ctx.request('POST', '/api/v1/services/web/train', {
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(202);
  });

  test('unknown service or job is 404', async () => {
    expect((await send('POST', '/services/ghost/train')).statusCode).toBe(404);
    expect((await get('/services/ghost/versions')).statusCode).toBe(404);
    expect((await get('/jobs/none')).statusCode).toBe(404);
  });
});

describe('safe by default: Host, Origin, content type, token', () => {
  let open: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    open = await setup();
  });
  afterAll(() => open.close());

  test('a state-changing call without a JSON content type is 415 and changes nothing', async () => {
    const noType = await open.request('POST', '/api/v1/services/web/train', { headers: { 'content-type': '' } });
    expect(noType.statusCode).toBe(415);
    const form = await open.request('POST', '/api/v1/services/web/train', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=1',
    });
    expect(form.statusCode).toBe(415);
    expect(form.json().message).toMatch(/content-type: application\/json/);
    expect([...open.control.jobs.values()]).toHaveLength(0);
  });

  test('a foreign Host (DNS rebinding) or a foreign Origin is 403; loopback ones pass', async () => {
    const evilHost = await open.request('GET', '/api/v1/services', { headers: { host: 'evil.example:8080' } });
    expect(evilHost.statusCode).toBe(403);
    expect(evilHost.json().message).toMatch(/api\.allowedHosts/);
    const evilOrigin = await open.request('POST', '/api/v1/feedback', {
      headers: { origin: 'http://evil.example' },
      payload: { kind: 'template-normal', service: 'web', templateId: 't1' },
    });
    expect(evilOrigin.statusCode).toBe(403);
    expect(open.control.received).toHaveLength(0);
    const local = await open.request('GET', '/api/v1/services', {
      headers: { host: 'localhost:8080', origin: 'http://localhost:3000' },
    });
    expect(local.statusCode).toBe(200);
  });

  test('feedback and PUT …/model for a service never seen are 404', async () => {
    const fb = await open.request('POST', '/api/v1/feedback', {
      payload: { kind: 'template-normal', service: 'ghost', templateId: 't1' },
    });
    expect(fb.statusCode).toBe(404);
    const cfg = (await open.request('GET', '/api/v1/services/web/model')).json();
    expect((await open.request('PUT', '/api/v1/services/ghost/model', { payload: cfg })).statusCode).toBe(404);
  });

  test('auto turns auth on once a token is set, even on loopback; /openapi.json needs it too', async () => {
    const guarded = await setup({ token: 's3cret' });
    try {
      expect(guarded.authRequired).toBe(true);
      expect((await guarded.request('GET', '/api/v1/services')).statusCode).toBe(401);
      expect((await guarded.request('GET', '/openapi.json')).statusCode).toBe(401);
      expect((await guarded.request('GET', '/api/v1/health')).statusCode).toBe(200);
      const bearer = { authorization: 'Bearer s3cret' };
      expect((await guarded.request('GET', '/openapi.json', { headers: bearer })).statusCode).toBe(200);
      // Grafana's plugin proxy sends its own Host (the processor URL's) with the token: served
      const proxied = await guarded.request('GET', '/api/v1/services', {
        headers: { ...bearer, host: 'anomalog:8080' },
      });
      expect(proxied.statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  test('api.allowedHosts names the hosts served without a token', async () => {
    const named = await setup({ allowedHosts: ['anomalog'] });
    try {
      const ok = await named.request('GET', '/api/v1/services', { headers: { host: 'anomalog:8080' } });
      expect(ok.statusCode).toBe(200);
      const other = await named.request('GET', '/api/v1/services', { headers: { host: 'localhost:8080' } });
      expect(other.statusCode).toBe(403);
    } finally {
      await named.close();
    }
  });
});
