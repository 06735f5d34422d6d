import type { BenchmarkRun } from '@anomalog/shared';

export interface CurveSeries {
  name: string;
  points: Array<[number, number]>;
}

/** How a run is named next to others: its dataset and start time. */
export function runLabel(run: BenchmarkRun): string {
  return `${run.dataset}, ${run.startedAt.slice(0, 19).replace('T', ' ')}`;
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
      add(run, (d) => `${d} (${runLabel(run)})`);
    }
  }
  return { roc, pr };
}

/** Result rows of the current run and the compared ones, each labelled with its run. */
export function comparisonRows(current: BenchmarkRun | undefined, compared: BenchmarkRun[]) {
  const runs = [...(current ? [current] : []), ...compared.filter((r) => r.id !== current?.id)];
  return runs.flatMap((run) =>
    run.results.map((r) => ({ ...r, run: run.id === current?.id ? `this run (${runLabel(run)})` : runLabel(run) })),
  );
}
