import { join } from 'node:path';
import type { BenchmarkRequest } from '@anomalog/shared';
import { createBenchmarkRunner } from '../../src/api/benchmarks/runner';
import { HttpError } from '../../src/api/errors';
import { readBenchmarkBody, SPOOL_BYTES, spoolFileOf } from '../../src/api/benchmarks/upload-spool';
import { existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';

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

it('a spooled body: the API reads a light copy as it streams, the worker gets the whole upload from the file', async () => {
  const log = 'GET /a 200\n'.repeat(200_000) + '  "quoted" \\ end';
  const body = JSON.stringify({
    dataset: 'upload',
    name: 'big one',
    detectors: ['isolation-forest'],
    upload: { log, labels: ' \n ', sessionRegex: 'blk_(\\d+)' },
  });
  expect(body.length).toBeGreaterThan(SPOOL_BYTES);
  // In small chunks, so that strings and escapes are cut across chunk boundaries.
  const chunks = Buffer.from(body)
    .toString('latin1')
    .match(/[\s\S]{1,997}/g)!
    .map((c) => Buffer.from(c, 'latin1'));
  const light = (await readBenchmarkBody(Readable.from(chunks), 64 * 1024 * 1024)) as BenchmarkRequest;
  expect(light).toEqual({
    dataset: 'upload',
    name: 'big one',
    detectors: ['isolation-forest'],
    upload: { log: 'x', labels: '', sessionRegex: 'blk_(\\d+)' },
  });
  const file = spoolFileOf(light)!;
  expect(readFileSync(file, 'utf8')).toBe(body);

  const runner = createBenchmarkRunner({
    datasetsDir: '/nonexistent',
    module: join(__dirname, 'fixtures', 'upload-echo-benchmark.ts'),
  });
  try {
    const run = await runner.start({ ...light, upload: { ...light.upload!, labels: '1' } }, file);
    while (!['done', 'failed'].includes(runner.run(run.id)!.state)) await new Promise((r) => setTimeout(r, 20));
    expect(runner.run(run.id)!.results[0].f1).toBe(log.length);
    // removed when the worker exits, just after its results
    for (let i = 0; i < 100 && existsSync(file); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(file)).toBe(false);
  } finally {
    await runner.close();
  }
});

it('a body over its limit is refused as it streams and leaves no file', async () => {
  const body = Buffer.from(JSON.stringify({ dataset: 'upload', upload: { log: 'x'.repeat(3 * SPOOL_BYTES) } }));
  const refused = await readBenchmarkBody(
    Readable.from([body.subarray(0, 2 * SPOOL_BYTES), body.subarray(2 * SPOOL_BYTES)]),
    2 * SPOOL_BYTES + 10,
  ).catch((e: unknown) => e);
  expect((refused as HttpError).statusCode).toBe(413);
});
