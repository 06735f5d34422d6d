/**
 * The benchmark framework's entry points (contract: src/api/benchmarks/protocol.ts). Loaded by path
 * by the API's worker thread and imported by `npm run bench:detect`, so it imports nothing of the
 * server. For each requested detector: build its inputs, fit on the training part, calibrate the
 * threshold on the training scores (the shared default: FPR 0.5 %, i.e. the 99.5th percentile),
 * score the test part, and measure.
 */
import {
  ModelConfig,
  validateWithDefaults,
  type BenchmarkRequest,
  type BenchmarkResult,
  type DetectorName,
} from '@anomalog/shared';
import { detectorFactory } from '../detect/registry';
import { Calibration, type Threshold } from '../detect/calibration';
import { lstmParams } from '../detect/lstm-params';
import { initTf } from '../detect/tf-backend';
import { ALERT_SCORE, scoreOfDecades } from '../detect/score-scale';
import { newTemplateChance, unseenAlarms, unseenRuleScore, unseenTemplateScore } from '../model/unseen-rule';
import type { Detector, Matrix, Sequences } from '../detect/detector';
import { availableDatasets, loadDataset } from './datasets';
import { loadGeneric } from './generic';
import type { Dataset } from './dataset';
import { dampsRepeats, fitRows } from '../features/tabular';
import { DEFAULT_FEATURE_CONFIG, matrixInputs, sequenceInputs, type FeatureConfig } from './features';
import { averagePrecision, f1Ceiling, f1Of, prCurve, rocAuc, rocCurve, thin, thresholdMetrics } from './metrics';

export interface RunOptions {
  datasetsDir: string;
  seed: number;
  onProgress?: (progress: number, message?: string) => void;
  /** Feature options (default: DEFAULT_FEATURE_CONFIG, the one documented configuration). */
  features?: FeatureConfig;
  /** Sequence-detector epochs override (the LSTM is slow on wasm; the CLI asks for few). */
  epochs?: number;
  /** Dataset name reported for an upload (default "upload"). */
  uploadName?: string;
  /** A dataset the caller loaded (bench:detect's folder and id-list modes): used instead of request.dataset. */
  preloaded?: Dataset;
}

/** A result with the extras the CLI records (feature mode, threshold) next to the API's fields. */
export type DetailedResult = BenchmarkResult & {
  mode: string;
  threshold: number;
  test_rows: number;
  /** Log records behind the training rows (what fit_s is the time for). */
  train_records: number;
  /** F1 at the default threshold (`f1`, under the name the tables show beside best_f1). */
  f1_default: number;
  /** Best F1 over every threshold on the test scores: computed with the labels, a reference only. */
  best_f1: number;
  /** ROC-AUC of `anomaly.score` (the calibrated 0..1 scale), beside roc_auc of the raw scores. */
  score_roc_auc: number;
  /** Sequence detectors: epochs run, and 1 when the time budget (trainSeconds) ended the fit. */
  epochs?: number;
  budget_stopped?: number;
  /** Matrix detectors: best F1 any function of the test row could reach (metrics.ts f1Ceiling). */
  ceiling_f1?: number;
};

export async function runBenchmark(request: BenchmarkRequest, options: RunOptions): Promise<DetailedResult[]> {
  const progress = options.onProgress ?? (() => {});
  progress(0, `loading ${request.dataset}`);
  const ds = options.preloaded ?? loadRequested(request, options);
  const config = modelConfig();
  const results: DetailedResult[] = [];
  const n = request.detectors.length;
  for (let i = 0; i < n; i++) {
    const name = request.detectors[i];
    // Each detector's share of the bar moves with its steps (features, fit, scoring), not only between detectors.
    const step = (within: number, what: string) => progress((i + within) / n, `${name} on ${ds.name}: ${what}`);
    results.push(await runOne(ds, name, config, options, step));
  }
  progress(1, 'done');
  return results;
}

export function listDatasets(dir: string): string[] {
  return availableDatasets(dir);
}

function loadRequested(request: BenchmarkRequest, options: RunOptions): Dataset {
  if (request.dataset !== 'upload') return loadDataset(request.dataset, options.datasetsDir, options.seed);
  const u = request.upload;
  if (!u) throw new Error('dataset "upload" needs an upload (log, labels, optional lineFormat and sessionRegex)');
  return loadGeneric({
    name: options.uploadName ?? 'upload',
    log: u.log,
    labels: u.labels,
    lineFormat: u.lineFormat,
    sessionRegex: u.sessionRegex,
    seed: options.seed,
  });
}

export function modelConfig(): ModelConfig {
  const checked = validateWithDefaults(ModelConfig, {});
  if (!checked.ok) throw new Error('default model config does not validate');
  return checked.value;
}

async function runOne(
  ds: Dataset,
  name: DetectorName,
  config: ModelConfig,
  options: RunOptions,
  step: (within: number, what: string) => void = () => {},
): Promise<DetailedResult> {
  step(0, 'features');
  const factory = detectorFactory(name);
  const settings = config.detectors[name];
  // the live service's: the LSTM capped at the record rate (lstm-params.ts)
  const params: Record<string, unknown> = name === 'lstm' ? lstmParams(config.detectors.lstm) : { ...settings.params };
  if (options.epochs !== undefined && factory.input === 'sequences') params.epochs = options.epochs;
  const detector = factory.create(params, options.seed) as Detector<Matrix | Sequences>;
  let train: Matrix | Sequences;
  // the rows the detector fits on (timed with the fit: damping repeats is part of training)
  let fitOn: () => Matrix | Sequences;
  let test: () => Matrix | Sequences;
  let mode: string;
  if (factory.input === 'sequences') {
    const seqs = sequenceInputs(ds);
    train = seqs.train;
    fitOn = () => seqs.train;
    test = () => seqs.test;
    mode = ds.kind === 'records' ? 'line stream' : 'sequences';
    await initTf();
  } else {
    const cfg = options.features ?? DEFAULT_FEATURE_CONFIG;
    const inputs = matrixInputs(ds, cfg);
    const rows = inputs.train;
    ({ train, test } = inputs);
    const damp = dampsRepeats(name, cfg);
    fitOn = () => fitRows(name, rows, cfg);
    mode = inputs.mode + (damp ? ', damped repeats' : '');
  }
  step(0.1, 'fitting');
  const t0 = performance.now();
  const report = await detector.fit(fitOn());
  step(0.7, 'scoring');
  const fitS = (performance.now() - t0) / 1000;
  // single lines alert at the record rate, sessions at the session rate, as live (training/fit-members.ts)
  const { mode: thresholdMode, value, records } = settings.threshold;
  const rate = { mode: thresholdMode, value: ds.kind === 'records' ? records : value };
  const { cut, calibrated } = thresholdOf(detector, train, rate);
  const t1 = performance.now();
  const testInput = test();
  const scores = detector.score(testInput);
  const scoreS = (performance.now() - t1) / 1000;
  const { prCurve: curve, ...measured } = measure(ds, scores, cut);
  // lines: the live verdict, the unseen-template rule beside the member (model/service-model.ts)
  const live = factory.input === 'matrix' ? unseenRule(ds, calibrated(scores), rate.value) : undefined;
  const m = live ? { ...measured, ...flagsOf(live, ds.testLabels) } : measured;
  if (live) mode += ' + unseen-template rule';
  return {
    dataset: ds.name,
    detector: name,
    mode,
    ...m,
    f1_default: m.f1,
    // over the scores that decide: with the unseen-template rule, the raw scores' best F1 was below f1
    best_f1: round(bestF1(live ? prCurve(live, ds.testLabels, classWeights(ds)) : curve)),
    score_roc_auc: round(rocAuc(live ?? calibrated(scores), ds.testLabels)),
    ...('data' in testInput
      ? { ceiling_f1: round(f1Ceiling(rowKeys(testInput), ds.testLabels, classWeights(ds))) }
      : {}),
    fit_s: round(fitS, 3),
    ...(report.epochS > 0 ? { epoch_s: round(report.epochS, 3) } : {}),
    ...(report.budgetStopped !== undefined ? { epochs: report.epochs, budget_stopped: report.budgetStopped } : {}),
    score_s: round(scoreS, 3),
    records_per_s: Math.round(recordsIn(ds) / Math.max(scoreS, 1e-9)),
    threshold: cut,
    test_rows: ds.testLabels.length,
    train_records: trainRecordsIn(ds),
  };
}

/**
 * A line dataset's calibrated scores as the live service flags its records: whether a line whose
 * template no training line had is anomalous is the unseen-template rule's call (model/unseen-rule.ts,
 * on the training lines' frequencies and the line's severity), whatever the member says: scored by
 * that rarity or the member's score if higher, or held under the threshold. Undefined for session
 * datasets (their unseen templates are a count column the members see).
 */
function unseenRule(ds: Dataset, calibrated: Float64Array, rate: number): Float64Array | undefined {
  if (ds.kind !== 'records') return undefined;
  const freq = ds.trainFrequencies;
  const chance = newTemplateChance(freq);
  const severity = ds.featureNames.indexOf('severity');
  const out = Float64Array.from(calibrated);
  for (let i = 0; i < ds.test.rows; i++) {
    if (ds.testUnseen[i] !== 1) continue;
    const s = ds.test.data[i * ds.test.cols + severity];
    out[i] = unseenTemplateScore(unseenAlarms(chance, s), out[i], unseenRuleScore(freq, chance, s, rate));
  }
  return out;
}

/** Precision, recall, F1 and FPR of the flags score >= ALERT_SCORE (score-scale.ts). */
function flagsOf(scores: Float64Array, labels: Uint8Array) {
  // unflagged scores stay under ALERT_SCORE by more than this; flagged ones are >= ALERT_SCORE
  const t = thresholdMetrics(scores, labels, ALERT_SCORE - 1e-13);
  return { precision: round(t.precision), recall: round(t.recall), f1: round(t.f1), fpr: round(t.fpr, 6) };
}

/**
 * The LSTM decides by its own rule (its decisionCut: top-g rank or fitted probability thresholds) and
 * its raw score is its margin over that rule (severity: > 0 exactly when flagged, in decades of
 * probability or ranks), which is what the live service puts on the anomaly.score scale; the tabular
 * detectors cut at the calibrated quantile of their training scores and score by that calibration.
 */
function thresholdOf(
  detector: Detector<Matrix | Sequences>,
  train: Matrix | Sequences,
  threshold: Threshold,
): { cut: number; calibrated: (raw: Float64Array) => Float64Array } {
  const own = (detector as { decisionCut?: number }).decisionCut;
  if (detector.name === 'lstm' && own !== undefined)
    return { cut: own, calibrated: (raw) => raw.map((x) => scoreOfDecades(x)) };
  const c = Calibration.fit(detector.score(train), threshold);
  return { cut: c.cut, calibrated: (raw) => c.scoreAll(raw) };
}

/** Highest F1 on a [recall, precision] curve. */
function bestF1(curve: readonly [number, number][]): number {
  let best = 0;
  for (const [r, p] of curve) best = Math.max(best, f1Of(p, r));
  return best;
}

/** Threshold and ranking figures of test scores (estimated at the reference ratio where the dataset has one). */
export function measure(ds: Dataset, scores: Float64Array, cut: number) {
  const labels = ds.testLabels;
  const t = thresholdMetrics(scores, labels, cut);
  let { precision, f1 } = t;
  const weights = classWeights(ds);
  const pr = prCurve(scores, labels, weights);
  const est = ds.kind === 'sessions' ? ds.estimateAt : undefined;
  if (est) {
    // precision and PR-AUC at the reference class ratio (the README's hdfs-deeplog protocol)
    const a = t.recall * est.anomalies;
    precision = a + t.fpr * est.normals > 0 ? a / (a + t.fpr * est.normals) : 0;
    f1 = f1Of(precision, t.recall);
  }
  return {
    precision: round(precision),
    recall: round(t.recall),
    f1: round(f1),
    roc_auc: round(rocAuc(scores, labels)),
    pr_auc: round(averagePrecision(scores, labels, weights)),
    fpr: round(t.fpr, 6),
    roc: thin(rocCurve(scores, labels)),
    pr: thin(pr),
    /** The whole curve (not thinned) for the best F1; callers drop it from results. */
    prCurve: pr,
  };
}

/** Per test row weights that re-weigh the classes to a reference ratio (hdfs-deeplog), if any. */
function classWeights(ds: Dataset): Float64Array | undefined {
  const est = ds.kind === 'sessions' ? ds.estimateAt : undefined;
  if (!est) return undefined;
  const labels = ds.testLabels;
  const pos = labels.reduce((n, l) => n + l, 0);
  const neg = labels.length - pos;
  return Float64Array.from(labels, (l) => (l ? est.anomalies / pos : est.normals / neg));
}

/** One string per matrix row, equal for identical rows (Number -> string is exact). */
function rowKeys(m: Matrix): string[] {
  return Array.from({ length: m.rows }, (_, r) =>
    Array.prototype.join.call(m.data.subarray(r * m.cols, (r + 1) * m.cols), ','),
  );
}

/** Log records behind the training rows: normal session lengths summed, or one per line. */
function trainRecordsIn(ds: Dataset): number {
  if (ds.kind === 'records') return ds.train.rows;
  let n = 0;
  for (const s of ds.train) n += s.length;
  return n;
}

/** Log records behind the test rows: session lengths summed, or one per line. */
function recordsIn(ds: Dataset): number {
  if (ds.kind === 'records') return ds.test.rows;
  let n = 0;
  for (const s of ds.test) n += s.length;
  return n;
}

function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
