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
    maxQueuedUploadBytes: 1_000_000,
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
