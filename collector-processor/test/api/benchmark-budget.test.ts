/**
 * A benchmark worker's memory comes out of the processor's budget: its heap cap is a share of the
 * processor's, an upload that cannot fit is refused up front (413), a run that outgrows the cap
 * fails with the same clear error, and the processor goes on.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchmarkRequest, BenchmarkRun } from '@anomalog/shared';
import { HttpError } from '../../src/api/errors';
import { createBenchmarkRunner, type BenchmarkService } from '../../src/api/benchmarks/runner';
import { readSpooledUpload } from '../../src/api/benchmarks/upload-spool';
import { benchmarkWorkerHeapMb, checkUploadFits } from '../../src/api/benchmarks/worker-budget';
import { setup } from './setup';

jest.setTimeout(60000);
const TOO_LARGE = /^dataset too large for api\.benchmark memory budget: .*64 MB of heap/;
const MB = 1024 * 1024;

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'anomalog-budget-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function settled(runner: BenchmarkService, id: string): Promise<BenchmarkRun> {
  while (!['done', 'failed'].includes(runner.run(id)!.state)) await new Promise((r) => setTimeout(r, 20));
  return runner.run(id)!;
}

const light: BenchmarkRequest = {
  dataset: 'upload',
  detectors: ['isolation-forest'],
  upload: { log: 'x', labels: '1' },
};

it('sizes the worker heap as a share of the processor heap limit, with a floor', () => {
  expect(benchmarkWorkerHeapMb(1024 * MB)).toBe(256);
  expect(benchmarkWorkerHeapMb(2048 * MB)).toBe(512);
  expect(benchmarkWorkerHeapMb(100 * MB)).toBe(64);
  expect(() => checkUploadFits(10 * MB, 64)).not.toThrow();
  expect(() => checkUploadFits(30 * MB, 64)).toThrow(TOO_LARGE);
});

it('reads the log and labels of a spooled body from their byte ranges, escapes and UTF-8 intact', () => {
  const log = 'état "ok" \\ fine\n✓ line two\t\u0001\n'.repeat(1000);
  const file = join(dir, 'body.json');
  // Other strings that look like the keys, before and after, are not taken for them.
  writeFileSync(
    file,
    JSON.stringify({ name: '"log": "no"', dataset: 'upload', upload: { labels: 'a,1\nb,0', note: 'log', log } }),
  );
  expect(readSpooledUpload(file)).toEqual({ log, labels: 'a,1\nb,0' });
});

it('refuses with 413 an upload that cannot fit the worker heap, by its length or its spool file', async () => {
  const file = join(dir, 'large.json');
  writeFileSync(file, JSON.stringify({ ...light, upload: { log: 'x'.repeat(30 * MB), labels: '1' } }));
  const runner = createBenchmarkRunner({
    datasetsDir: '/nonexistent',
    module: join(__dirname, 'fixtures', 'upload-echo-benchmark.ts'),
    maxWorkerHeapMb: 64,
  });
  try {
    expect(() => runner.checkUploadFits(30 * MB)).toThrow(TOO_LARGE);
    expect(() => runner.checkUploadFits(MB)).not.toThrow();
    const refused = await runner.start(light, file).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).statusCode).toBe(413);
    expect((refused as HttpError).message).toMatch(TOO_LARGE);
    expect(runner.runs()).toHaveLength(0);
    expect(existsSync(file)).toBe(false);
  } finally {
    await runner.close();
  }
});

it('fails a run that outgrows the worker heap with the same error; the next run goes on', async () => {
  const hungry = createBenchmarkRunner({
    datasetsDir: '/nonexistent',
    module: join(__dirname, 'fixtures', 'heap-hungry-benchmark.ts'),
    maxWorkerHeapMb: 64,
  });
  try {
    const run = await settled(hungry, (await hungry.start(light)).id);
    expect(run.state).toBe('failed');
    expect(run.message).toMatch(TOO_LARGE);
  } finally {
    await hungry.close();
  }
  const echo = createBenchmarkRunner({
    datasetsDir: '/nonexistent',
    module: join(__dirname, 'fixtures', 'upload-echo-benchmark.ts'),
    maxWorkerHeapMb: 64,
  });
  try {
    const run = await settled(echo, (await echo.start(light)).id);
    expect(run.state).toBe('done');
  } finally {
    await echo.close();
  }
});

it('POST /benchmarks answers 413 with the reason for an upload the worker heap cannot hold', async () => {
  const runner = createBenchmarkRunner({
    datasetsDir: '/nonexistent',
    module: join(__dirname, 'fixtures', 'upload-echo-benchmark.ts'),
    maxWorkerHeapMb: 64,
  });
  const api = await setup({}, undefined, runner);
  try {
    const answer = await api.request('POST', '/api/v1/benchmarks', {
      payload: { ...light, upload: { log: 'x'.repeat(30 * MB), labels: '1' } },
    });
    expect(answer.statusCode).toBe(413);
    expect(answer.json().message).toMatch(TOO_LARGE);
    expect(runner.runs()).toHaveLength(0);
  } finally {
    await api.close();
  }
});
