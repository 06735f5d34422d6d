import { createBenchmarkRunner } from '../../src/api/benchmarks/runner';
import { HDFS_BLOCK_REGEX, HDFS_LINE_FORMAT } from '../../src/evaluate/datasets';
import { generateSyntheticHdfs } from '../fixtures/synthetic-hdfs/generate';

// The API's benchmark runner loads src/evaluate/run.ts by path in a worker thread: the module must
// stand alone (no server imports) and return results the API can serialise.
test('the API benchmark runner runs the framework in its worker thread', async () => {
  const s = generateSyntheticHdfs(200);
  const runner = createBenchmarkRunner({ datasetsDir: '/nonexistent' });
  try {
    expect(await runner.datasets()).toEqual([]);
    const run = await runner.start({
      dataset: 'upload',
      detectors: ['isolation-forest'],
      upload: { log: s.log, labels: s.labels, lineFormat: HDFS_LINE_FORMAT, sessionRegex: HDFS_BLOCK_REGEX },
    });
    const deadline = Date.now() + 50_000;
    while (runner.run(run.id)!.state !== 'done' && runner.run(run.id)!.state !== 'failed' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const done = runner.run(run.id)!;
    expect(done.message).toBe('1 result(s)');
    expect(done.state).toBe('done');
    expect(done.results[0]).toMatchObject({ dataset: 'upload', detector: 'isolation-forest' });
    expect(done.results[0].roc_auc).toBeGreaterThan(0.6);
  } finally {
    await runner.close();
  }
});
