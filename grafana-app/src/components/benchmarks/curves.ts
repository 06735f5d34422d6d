import type { BenchmarkResult, BenchmarkRun } from '@anomalog/shared';

export interface CurveSeries {
  name: string;
  /** Colour key: the same detector has the same colour in every run and view. */
  detector: string;
  /** Drawn dashed: a compared earlier run, not the current one. */
  compared: boolean;
  points: Array<[number, number]>;
  /** Area under this curve (ROC-AUC or PR-AUC as the processor measured it). */
  auc: number;
  /** Where the detector's configured threshold puts it on this curve. */
  operatingPoint: [number, number];
}

/** How a run is named next to others: the name given at upload, else its dataset; and its start time. */
export function runLabel(run: BenchmarkRun): string {
  return `${run.name ?? run.dataset}, ${run.startedAt.slice(0, 19).replace('T', ' ')}`;
}

/** ROC and PR series of the current run and of the compared earlier runs, named so they tell apart. */
export function curveSeries(current: BenchmarkRun | undefined, compared: BenchmarkRun[]) {
  const roc: CurveSeries[] = [];
  const pr: CurveSeries[] = [];
  const add = (run: BenchmarkRun, label: (detector: string) => string, isCompared: boolean) => {
    for (const r of run.results) {
      const common = { name: label(r.detector), detector: r.detector, compared: isCompared };
      roc.push({ ...common, points: r.roc ?? [], auc: r.roc_auc, operatingPoint: [r.fpr, r.recall] });
      pr.push({ ...common, points: r.pr ?? [], auc: r.pr_auc, operatingPoint: [r.recall, r.precision] });
    }
  };
  if (current) {
    add(current, (d) => d, false);
  }
  for (const run of compared) {
    if (run.id !== current?.id) {
      add(run, (d) => `${d} (${runLabel(run)})`, true);
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

const f1 = (precision: number, recall: number) =>
  precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;

export interface CurveReading {
  recall: number;
  precision: number;
  f1: number;
  fpr: number;
}

/**
 * The detector at a threshold low enough to reach `recall`, read off its curves: precision is the best
 * a threshold reaching that recall gives (the PR curve's interpolated precision), FPR the lowest the
 * ROC curve has at that true-positive rate. Undefined when the curves never reach it.
 */
export function readAtRecall(result: BenchmarkResult, recall: number): CurveReading | undefined {
  const pr = (result.pr ?? []).filter(([r]) => r >= recall - 1e-9);
  const roc = (result.roc ?? []).filter(([, tpr]) => tpr >= recall - 1e-9);
  if (pr.length === 0 || roc.length === 0) {
    return undefined;
  }
  const [reachedRecall, precision] = pr.reduce((best, p) => (p[1] > best[1] ? p : best));
  const fpr = Math.min(...roc.map(([x]) => x));
  return { recall: reachedRecall, precision, f1: f1(precision, reachedRecall), fpr };
}

/** The best F1 any threshold gives (a point of the PR curve), and its recall and precision. */
export function bestF1(result: BenchmarkResult): CurveReading | undefined {
  let best: CurveReading | undefined;
  for (const [recall, precision] of result.pr ?? []) {
    const value = f1(precision, recall);
    if (!best || value > best.f1) {
      best = { recall, precision, f1: value, fpr: readAtRecall(result, recall)?.fpr ?? NaN };
    }
  }
  return best;
}
