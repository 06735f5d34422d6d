/**
 * Stands in for the benchmark framework (src/evaluate/run.ts) in runner tests: same entry points,
 * a transparent rule instead of detectors. Datasets are the sub-folders of the datasets dir.
 * dataset "fail" rejects, "crash" kills the worker, "slow" takes ~300 ms so a second run queues,
 * "hang" never ends (spins the worker's thread, as a pathological run would).
 */
import { readdirSync } from 'node:fs';
import type { BenchmarkRequest, BenchmarkResult } from '@anomalog/shared';

export function listDatasets(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Flags a line as anomalous when it contains ERROR; measures that against the uploaded labels. */
function scoreUpload(request: BenchmarkRequest, detector: string): BenchmarkResult {
  const upload = request.upload!;
  const lines = upload.log.split('\n').filter((l) => l.trim());
  const labels = new Map(
    upload.labels
      .split('\n')
      .slice(1)
      .filter((l) => l.trim())
      .map((l) => l.split(',') as [string, string]),
  );
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  lines.forEach((line, i) => {
    const truth = /^(1|anomaly)$/i.test(labels.get(String(i + 1)) ?? '0');
    const flagged = line.includes('ERROR');
    if (flagged && truth) tp++;
    else if (flagged) fp++;
    else if (truth) fn++;
    else tn++;
  });
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  return {
    dataset: 'upload',
    detector,
    precision,
    recall,
    f1: (2 * precision * recall) / Math.max(1e-9, precision + recall),
    roc_auc: 0.5,
    pr_auc: 0.5,
    fpr: fp / Math.max(1, fp + tn),
    fit_s: 0,
    score_s: 0,
    records_per_s: lines.length,
  };
}

export async function runBenchmark(
  request: BenchmarkRequest,
  options: { datasetsDir: string; seed: number; onProgress?: (progress: number, message?: string) => void },
): Promise<BenchmarkResult[]> {
  if (request.dataset === 'fail') throw new Error('dataset "fail" failed on purpose');
  if (request.dataset === 'crash') process.exit(3);
  if (request.dataset === 'slow') await new Promise((r) => setTimeout(r, 300));
  if (request.dataset === 'hang') for (;;);
  const results: BenchmarkResult[] = [];
  request.detectors.forEach((d, i) => {
    options.onProgress?.((i + 1) / request.detectors.length, `scored ${d}`);
    results.push(
      request.upload
        ? scoreUpload(request, d)
        : { ...scoreUpload({ ...request, upload: { log: 'x', labels: 'id,label' } }, d), dataset: request.dataset },
    );
  });
  return results;
}
