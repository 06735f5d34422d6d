/**
 * Fitting a model's tabular members: each enabled tabular detector on the benchmark's rows for it
 * (features/tabular.ts; super-linear ones on a seeded sub-sample) and calibrated on the scores of
 * every row. Shared by the record members (train.ts) and the session/window members (group-train.ts).
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { DetectorName, ModelConfig } from '@anomalog/shared';
import { Calibration } from '../detect/calibration';
import type { Matrix } from '../detect/detector';
import { detectorFactory } from '../detect/registry';
import { initTf } from '../detect/tf-backend';
import { fitRows } from '../features/tabular';
import { lcg } from '../util/random';
import type { ModelMember } from '../model/service-model';

/** Sessions a service needs in its window before an LSTM is worth training on them. */
export const MIN_SESSIONS = 20;

/** Rows the super-linear detectors fit on at most. */
export const MAX_FIT_ROWS: Partial<Record<DetectorName, number>> = {
  lof: 4000,
  'one-class-svm': 2000,
  // linear, but epochs of tfjs steps: bounds a fit to seconds (early stopping usually ends sooner)
  autoencoder: 5000,
};

/** Seeded sub-sample of at most `max` rows (the whole matrix when smaller). */
export function subsample(m: Matrix, max: number, seed: number): Matrix {
  if (m.rows <= max) return m;
  const rand = lcg(seed >>> 0 || 1);
  const idx = Int32Array.from({ length: m.rows }, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(rand() * (m.rows - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  const data = new Float64Array(max * m.cols);
  for (let i = 0; i < max; i++) data.set(m.data.subarray(idx[i] * m.cols, (idx[i] + 1) * m.cols), i * m.cols);
  return { data, rows: max, cols: m.cols };
}

export function enabledDetectors(config: ModelConfig): DetectorName[] {
  return (Object.keys(config.detectors) as DetectorName[]).filter((d) => config.detectors[d].enabled);
}

/**
 * Which rate of the detector's threshold a member cuts at: single records alert at `records` (they
 * are many: at the session rate one normal record in 200 would alert), sessions and windows at `value`.
 */
export type RateOf = 'records' | 'groups';

/** The members fitted on `m`; `metricPrefix` names their fit metrics (e.g. `window_`). */
export async function fitMembers(
  m: Matrix,
  config: ModelConfig,
  seed: number,
  onDetector: (k: number, name: DetectorName) => void = () => undefined,
  metricPrefix = '',
  rateOf: RateOf = 'records',
): Promise<{ members: ModelMember[]; metrics: Record<string, number>; skipped: string[] }> {
  const members: ModelMember[] = [];
  const metrics: Record<string, number> = {};
  const skipped: string[] = [];
  for (const [k, name] of enabledDetectors(config).entries()) {
    if (name === 'lstm') continue; // sequence model, trained on its own
    const factory = detectorFactory(name);
    if (factory.input !== 'matrix') {
      skipped.push(name);
      continue;
    }
    onDetector(k, name);
    await yieldToLoop();
    const settings = config.detectors[name];
    const detector = factory.create(settings.params as Record<string, unknown>, seed);
    if (name === 'autoencoder') await initTf(() => undefined); // quietly: the worker has no logger
    const t0 = performance.now();
    const fitOn = fitRows(name, m);
    await detector.fit(subsample(fitOn, MAX_FIT_ROWS[name] ?? fitOn.rows, seed));
    const raw = detector.score(m);
    const { mode, value, records } = settings.threshold;
    const calibration = Calibration.fit(raw, { mode, value: rateOf === 'records' ? records : value });
    metrics[`${metricPrefix}${name}_fit_s`] = (performance.now() - t0) / 1000;
    metrics[`${metricPrefix}${name}_train_flagged`] = raw.filter((x) => calibration.isAnomalous(x)).length / raw.length;
    members.push({ name, detector, calibration });
  }
  return { members, metrics, skipped };
}
