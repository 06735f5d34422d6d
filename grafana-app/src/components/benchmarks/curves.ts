import type { BenchmarkRun } from '@anomalog/shared';

export interface CurveSeries {
  name: string;
  points: Array<[number, number]>;
}

/** ROC and PR series of the current run and of the compared earlier runs, named so they tell apart. */
export function curveSeries(current: BenchmarkRun | undefined, compared: BenchmarkRun[]) {
  const roc: CurveSeries[] = [];
  const pr: CurveSeries[] = [];
  const add = (run: BenchmarkRun, label: (detector: string) => string) => {
    for (const r of run.results) {
      roc.push({ name: label(r.detector), points: r.roc ?? [] });
      pr.push({ name: label(r.detector), points: r.pr ?? [] });
    }
  };
  if (current) {
    add(current, (d) => d);
  }
  for (const run of compared) {
    if (run.id !== current?.id) {
      add(run, (d) => `${d} (${run.dataset}, ${run.startedAt.slice(0, 19).replace('T', ' ')})`);
    }
  }
  return { roc, pr };
}
