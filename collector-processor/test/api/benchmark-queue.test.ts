import { join } from 'node:path';
import type { BenchmarkRequest } from '@anomalog/shared';
import { createBenchmarkRunner } from '../../src/api/benchmarks/runner';
import { HttpError } from '../../src/api/errors';

const upload = (chars: number): BenchmarkRequest => ({
  dataset: 'upload',
  detectors: ['isolation-forest'],
  upload: { log: 'x'.repeat(chars), labels: '1' },
});

it('refuses an upload with a retryable 429 once the queued uploads hold their byte bound', async () => {
  const runner = createBenchmarkRunner({
    datasetsDir: '/nonexistent',
    module: join(__dirname, 'fixtures', 'waiting-benchmark.ts'),
    maxQueuedUploadBytes: 500_000,
  });
  try {
    // The first starts at once (its upload leaves for the worker); the next two wait in the queue.
    await runner.start(upload(400_000));
    await runner.start(upload(200_000));
    await runner.start(upload(200_000));
    const refused = await runner.start(upload(200_000)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).statusCode).toBe(429);
    expect((refused as HttpError).retryAfterS).toBeGreaterThan(0);
    // The refused upload was not queued.
    expect(runner.runs().filter((r) => r.state === 'queued')).toHaveLength(2);
  } finally {
    await runner.close();
  }
});

it('a queued upload waits on disk and reaches its run whole', async () => {
  const runner = createBenchmarkRunner({
    datasetsDir: '/nonexistent',
    module: join(__dirname, 'fixtures', 'upload-echo-benchmark.ts'),
  });
  try {
    // The second waits for the first: its upload is written to a file and read back by the worker.
    const first = await runner.start(upload(1_000));
    const second = await runner.start(upload(300_000));
    expect(second.state).toBe('queued');
    const done = async (id: string) => {
      while (!['done', 'failed'].includes(runner.run(id)!.state)) await new Promise((r) => setTimeout(r, 20));
      return runner.run(id)!;
    };
    expect((await done(first.id)).results[0].f1).toBe(1_000);
    const run = await done(second.id);
    expect(run.state).toBe('done');
    expect(run.results[0].f1).toBe(300_000);
  } finally {
    await runner.close();
  }
});
