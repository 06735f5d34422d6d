import { join } from 'node:path';
import { API_PREFIX, benchmarkCancelPath } from '@anomalog/shared';
import { createBenchmarkRunner } from '../../src/api/benchmarks/runner';
import { createLogger } from '../../src/telemetry/logger';
import { MemoryStore } from './memory-store';
import { datasetsDir, setup } from './setup';

jest.setTimeout(30000);

async function settled(get: () => Promise<{ state: string }>, what: string) {
  const until = Date.now() + 20000;
  for (;;) {
    const run = await get();
    if (run.state === 'done' || run.state === 'failed') return run;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('benchmark runs: cancel, time limit, safe session regexes', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    ctx = await setup();
  });
  afterAll(() => ctx.close());

  test('POST /benchmarks/{id}/cancel stops a run that never ends; the next run then gets the slot', async () => {
    const hang = await ctx.request('POST', '/api/v1/benchmarks', { payload: { dataset: 'hang', detectors: ['lof'] } });
    expect(hang.statusCode).toBe(202);
    const queued = await ctx.request('POST', '/api/v1/benchmarks', {
      payload: { dataset: 'hdfs', detectors: ['lof'] },
    });
    const cancelled = await ctx.request('POST', `${API_PREFIX}${benchmarkCancelPath(hang.json().id)}`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ state: 'failed', message: 'cancelled' });
    const next = await settled(
      async () => (await ctx.request('GET', `/api/v1/benchmarks/${queued.json().id}`)).json(),
      'next run',
    );
    expect(next.state).toBe('done');
    // a finished run is returned as it is; an unknown id is 404
    const again = await ctx.request('POST', `/api/v1/benchmarks/${queued.json().id}/cancel`);
    expect(again.json()).toMatchObject({ state: 'done' });
    expect((await ctx.request('POST', '/api/v1/benchmarks/nope/cancel')).statusCode).toBe(404);
  });

  test('DELETE /benchmarks/{id} forgets a finished run (store included), refuses a running one, 404 for unknown ids', async () => {
    const store = new MemoryStore();
    const runner = createBenchmarkRunner({
      datasetsDir: datasetsDir(),
      module: join(__dirname, 'benchmark-double.ts'),
      history: store,
    });
    const api = await setup({}, new MemoryStore(), runner);
    try {
      const hang = await api.request('POST', '/api/v1/benchmarks', {
        payload: { dataset: 'hang', detectors: ['lof'] },
      });
      const running = await api.request('DELETE', `/api/v1/benchmarks/${hang.json().id}`);
      expect(running.statusCode).toBe(409);
      expect(running.json().message).toMatch(/cancel it first/);
      await api.request('POST', `/api/v1/benchmarks/${hang.json().id}/cancel`);
      const done = await api.request('POST', '/api/v1/benchmarks', {
        payload: { dataset: 'hdfs', detectors: ['lof'] },
      });
      await settled(async () => (await api.request('GET', `/api/v1/benchmarks/${done.json().id}`)).json(), 'run');
      expect(store.benchmarkRuns.has(done.json().id)).toBe(true);
      for (const id of [hang.json().id, done.json().id]) {
        expect((await api.request('DELETE', `/api/v1/benchmarks/${id}`)).statusCode).toBe(204);
        expect((await api.request('GET', `/api/v1/benchmarks/${id}`)).statusCode).toBe(404);
      }
      expect(store.benchmarkRuns.size).toBe(0);
      expect((await api.request('GET', '/api/v1/benchmarks')).json()).toEqual([]);
      expect((await api.request('DELETE', `/api/v1/benchmarks/${done.json().id}`)).statusCode).toBe(404);
    } finally {
      await api.close();
    }
  });

  test('a session regex the linear-time engine cannot run is a 400 naming the field; a backtracking-prone one is accepted', async () => {
    const upload = (sessionRegex: string) =>
      ctx.request('POST', '/api/v1/benchmarks', {
        payload: {
          dataset: 'upload',
          detectors: ['lof'],
          upload: { log: 'a\nb ERROR\n', labels: 'id,label\n2,1\n', sessionRegex },
        },
      });
    const bad = await upload('(blk)_\\1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/body\/upload\/sessionRegex: .*RE2.*first capture group/);
    expect((await upload('^(x+x+)+y')).statusCode).toBe(202);
  });

  test('a body over 1 MiB is spooled: its other fields are still checked at once, a good one is queued', async () => {
    const upload = (sessionRegex: string) =>
      ctx.request('POST', '/api/v1/benchmarks', {
        payload: {
          dataset: 'upload',
          detectors: ['lof'],
          upload: { log: 'a line\n'.repeat(200_000), labels: 'id,label\n2,1\n', sessionRegex },
        },
      });
    const bad = await upload('(blk)_\\1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/body\/upload\/sessionRegex/);
    const good = await upload('blk_(\\d+)');
    expect(good.statusCode).toBe(202);
    expect(good.json()).toMatchObject({ dataset: 'upload', detectors: ['lof'] });
    await ctx.request('POST', `${API_PREFIX}${benchmarkCancelPath(good.json().id)}`);
  });
});

test('a run over api.benchmarkTimeoutMinutes is stopped and fails naming the limit', async () => {
  const dir = datasetsDir();
  const runner = createBenchmarkRunner({
    datasetsDir: dir,
    module: join(__dirname, 'benchmark-double.ts'),
    logger: createLogger('silent'),
    timeoutMs: 500,
  });
  try {
    const run = await runner.start({ dataset: 'hang', detectors: ['lof'] });
    const done = await settled(async () => runner.run(run.id)!, 'the time limit');
    expect(done).toMatchObject({ state: 'failed' });
    expect(runner.run(run.id)!.message).toMatch(/longer than .* min \(api\.benchmarkTimeoutMinutes\)/);
    const after = await runner.start({ dataset: 'hdfs', detectors: ['lof'] });
    expect((await settled(async () => runner.run(after.id)!, 'the next run')).state).toBe('done');
  } finally {
    await runner.close();
  }
});
