/**
 * Calibration shared by the tabular detectors: the alert threshold is a quantile of the training
 * scores chosen from the shared ModelConfig `Threshold` ({mode, value}), and `score(raw)` puts raw
 * scores (any scale, higher = more anomalous) on the one scale of `anomaly.score` (score-scale.ts):
 * under the cut, half the interpolated rank among the training scores; over it, 0.5 plus the
 * decades of rarity beyond the cut by an exponential or generalised Pareto tail fitted to the
 * training scores over the cut (pot.ts), so scores keep ranking beyond the largest training score.
 * `normalize(raw)` is the plain empirical CDF (0..1, pinned at 1 above the training maximum).
 *
 * Both modes cut at the (1 - value) quantile of the scores given to `fit` (beyond the largest one
 * when `value` is under one in their count, see cutAt); they differ in what the caller should pass. `contamination`: the training scores themselves, which contain about `value`
 * anomalies. `fpr`: scores of normal data, ideally held out from training (in-sample scores of
 * LOF and Isolation Forest are optimistic), so that about `value` of normal rows alert.
 *
 * Also home of the Float64/Int32 <-> float32-tensor packing the classic detectors use with
 * model-bytes.ts: the arrays are reinterpreted byte for byte, so the round trip is bit-exact.
 */
import type { Static } from '@sinclair/typebox';
import type { Threshold as ThresholdSchema } from '@anomalog/shared';
import { decodeModel, encodeModel, type Tensor32 } from './model-bytes';
import { fitGpd, MIN_EXCESSES } from './pot';
import { quantile, upperBound } from './quantile';
import { scoreOfDecades, scoreUnder } from './score-scale';

export { quantile, upperBound };

/** The rate a calibration cuts at (the schema's `value` or `records`, chosen by the caller). */
export type Threshold = Pick<Static<typeof ThresholdSchema>, 'mode' | 'value'>;

const FORMAT = 'anomalog-calibration/1';

export class Calibration {
  /** Training scores, ascending. */
  readonly sorted: Float64Array;
  readonly threshold: Threshold;
  /** Raw score above which a row alerts. */
  readonly cut: number;
  /** The tail over the cut: decades of rarity per raw-score excess (see tailOver). */
  readonly tail: Tail;
  /** Interpolated rank of the cut among the training scores, plus one row (scores under it stay < 0.5). */
  private readonly cutRank: number;

  private constructor(sorted: Float64Array, threshold: Threshold) {
    this.sorted = sorted;
    this.threshold = threshold;
    this.cut = cutAt(sorted, threshold.value);
    this.tail = tailOver(sorted, this.cut, threshold.value);
    this.cutRank = rankOf(sorted, this.cut) + 1;
  }

  static fit(scores: Float64Array, threshold: Threshold): Calibration {
    if (scores.length === 0) throw new Error('calibration: no training scores');
    if (!(threshold.value >= 0 && threshold.value <= 0.5))
      throw new Error('calibration: threshold value must be in [0, 0.5]');
    for (const s of scores) if (!Number.isFinite(s)) throw new Error('calibration: training scores must be finite');
    return new Calibration(Float64Array.from(scores).sort(), { mode: threshold.mode, value: threshold.value });
  }

  /** Share of training scores <= raw (0..1); NaN stays NaN. */
  normalize(raw: number): number {
    if (Number.isNaN(raw)) return NaN;
    return upperBound(this.sorted, raw) / this.sorted.length;
  }

  /**
   * `anomaly.score` of a raw score: >= 0.5 exactly when isAnomalous(raw), strictly increasing over
   * the cut (no ceiling short of 1), non-decreasing everywhere; NaN stays NaN.
   */
  score(raw: number): number {
    if (Number.isNaN(raw)) return NaN;
    if (raw > this.cut) return scoreOfDecades(this.tail.decades(raw - this.cut));
    return scoreUnder(rankOf(this.sorted, raw) / this.cutRank);
  }

  scoreAll(raw: Float64Array): Float64Array {
    const out = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = this.score(raw[i]);
    return out;
  }

  normalizeAll(raw: Float64Array): Float64Array {
    const out = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = this.normalize(raw[i]);
    return out;
  }

  isAnomalous(raw: number): boolean {
    return raw > this.cut;
  }

  serialize(): Uint8Array {
    return encodeModel({ format: FORMAT, threshold: this.threshold }, [f64Tensor(this.sorted)]);
  }

  static load(bytes: Uint8Array): Calibration {
    const { header, weights } = decodeModel(bytes, FORMAT, 'calibration');
    const t = header.threshold as Threshold | undefined;
    if (!t || (t.mode !== 'fpr' && t.mode !== 'contamination') || typeof t.value !== 'number')
      throw new Error('calibration: model file has a broken threshold');
    if (weights.length !== 1) throw new Error('calibration: model file has the wrong tensor count');
    const sorted = readF64(weights[0], 'calibration', 'scores');
    for (let i = 1; i < sorted.length; i++)
      if (!(sorted[i] >= sorted[i - 1])) throw new Error('calibration: stored scores are not sorted');
    return new Calibration(sorted, t);
  }
}

/**
 * Rarity beyond the cut: how many decades (factors of ten) smaller the tail probability of
 * `cut + excess` is than the cut's own. Fitted on the training excesses over the cut: a generalised
 * Pareto tail when there are MIN_EXCESSES of them and its shape is heavy (γ > 0), else an
 * exponential one (a bounded fit, γ < 0, would stop ranking at its end point). With too few
 * excesses (tied or gappy scores), the exponential decay from the median to the cut sets the scale.
 */
export interface Tail {
  readonly gamma: number;
  readonly sigma: number;
  decades(excess: number): number;
  /** Inverse of decades: the excess `decades` beyond the cut. */
  excessAt(decades: number): number;
}

/**
 * The raw score with tail probability `value` among ascending training scores: their (1 - value)
 * quantile while `value` is at least one in their count. Under that the scores show nothing (the
 * quantile would sit between the two largest, and a repeat of a training row's own score could
 * alert), so the cut is extrapolated beyond the largest score by the tail fitted over the
 * (1 - 1/n) quantile: log10(1 / (n · value)) decades further.
 */
export function cutAt(sorted: Float64Array, value: number): number {
  const n = sorted.length;
  const q = quantile(sorted, 1 - value);
  if (value <= 0 || value * n >= 1) return q; // value 0: the training maximum itself
  const base = quantile(sorted, 1 - 1 / n);
  const beyond = base + tailOver(sorted, base, 1 / n).excessAt(Math.log10(1 / (n * value)));
  return Math.max(q, sorted[n - 1], Number.isFinite(beyond) ? beyond : sorted[n - 1]);
}

export function tailOver(sorted: Float64Array, cut: number, value: number): Tail {
  const first = upperBound(sorted, cut);
  const y = Float64Array.from(sorted.subarray(first), (x) => x - cut);
  if (y.length >= MIN_EXCESSES) {
    const fit = fitGpd(y);
    if (fit.gamma > 1e-9 && fit.sigma > 0) return gpdTail(fit.gamma, fit.sigma);
    let mean = 0;
    for (const v of y) mean += v / y.length;
    return exponentialTail(mean);
  }
  // tail probability 1/2 at the median, `value` at the cut: exponential in between
  const n = sorted.length;
  const p = Math.min(0.5, Math.max(value, 1 / n));
  const median = quantile(sorted, 0.5);
  let sigma = p < 0.5 ? (cut - median) / Math.log(0.5 / p) : 0;
  if (!(sigma > 0)) sigma = (sorted[n - 1] - sorted[0]) / Math.log(n + 1);
  if (!(sigma > 0)) sigma = Math.max(Math.abs(cut), 1) * 1e-3;
  return exponentialTail(sigma);
}

function exponentialTail(sigma: number): Tail {
  const perDecade = sigma * Math.LN10;
  return { gamma: 0, sigma, decades: (excess) => excess / perDecade, excessAt: (decades) => decades * perDecade };
}

function gpdTail(gamma: number, sigma: number): Tail {
  return {
    gamma,
    sigma,
    decades: (excess) => Math.log10(1 + (gamma * excess) / sigma) / gamma,
    excessAt: (decades) => (sigma / gamma) * (10 ** (gamma * decades) - 1),
  };
}

/** Rank of x among ascending values, linearly interpolated between neighbours (0 below the first). */
export function rankOf(sorted: Float64Array, x: number): number {
  const k = upperBound(sorted, x);
  if (k === 0) return 0;
  if (k === sorted.length) return k;
  const lo = sorted[k - 1];
  const hi = sorted[k];
  return k + (hi > lo ? (x - lo) / (hi - lo) : 0);
}

// ---- bit-exact packing of float64 / int32 arrays into model-bytes float32 tensors ----

/** model-bytes has no empty tensors; callers only pack non-empty arrays. */
export function f64Tensor(a: Float64Array): Tensor32 {
  if (a.length === 0) throw new Error('cannot pack an empty array');
  return { shape: [a.length * 2], data: new Float32Array(Float64Array.from(a).buffer) };
}

export function i32Tensor(a: Int32Array): Tensor32 {
  if (a.length === 0) throw new Error('cannot pack an empty array');
  return { shape: [a.length], data: new Float32Array(Int32Array.from(a).buffer) };
}

export function readF64(t: Tensor32 | undefined, who: string, what: string, length?: number): Float64Array {
  if (!t || t.data.length % 2 !== 0) throw new Error(`${who}: model file has a broken ${what} array`);
  const out = new Float64Array(t.data.slice().buffer);
  if (length !== undefined && out.length !== length)
    throw new Error(`${who}: model file has ${out.length} ${what} values, expected ${length}`);
  // Every float array the detectors store is finite; anything else is corruption.
  for (let i = 0; i < out.length; i++)
    if (!Number.isFinite(out[i])) throw new Error(`${who}: model file has a broken ${what} value at ${i}`);
  return out;
}

export function readI32(t: Tensor32 | undefined, who: string, what: string, length?: number): Int32Array {
  if (!t) throw new Error(`${who}: model file is missing the ${what} array`);
  const out = new Int32Array(t.data.slice().buffer);
  if (length !== undefined && out.length !== length)
    throw new Error(`${who}: model file has ${out.length} ${what} values, expected ${length}`);
  return out;
}

/** Throws unless m is a consistent matrix with `cols` columns (when given) and finite values. */
export function checkMatrix(who: string, m: { data: Float64Array; rows: number; cols: number }, cols?: number): void {
  if (!(m.data instanceof Float64Array) || m.rows * m.cols !== m.data.length || m.cols <= 0)
    throw new Error(`${who}: matrix data length ${m.data?.length} is not rows*cols (${m.rows}x${m.cols})`);
  if (cols !== undefined && m.cols !== cols)
    throw new Error(`${who}: matrix has ${m.cols} columns, model expects ${cols}`);
  for (let i = 0; i < m.data.length; i++)
    if (!Number.isFinite(m.data[i]))
      throw new Error(`${who}: matrix value at row ${Math.floor(i / m.cols)} is not finite`);
}
