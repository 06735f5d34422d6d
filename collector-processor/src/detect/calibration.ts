/**
 * Calibration shared by the tabular detectors: raw scores (any scale, higher = more anomalous) map
 * to 0..1 by the empirical CDF of the training scores, and the alert threshold is a quantile of
 * those scores chosen from the shared ModelConfig `Threshold` ({mode, value}).
 *
 * Both modes cut at the (1 - value) quantile of the scores given to `fit`; they differ in what the
 * caller should pass. `contamination`: the training scores themselves, which contain about `value`
 * anomalies. `fpr`: scores of normal data, ideally held out from training (in-sample scores of
 * LOF and Isolation Forest are optimistic), so that about `value` of normal rows alert.
 *
 * Also home of the Float64/Int32 <-> float32-tensor packing the classic detectors use with
 * model-bytes.ts: the arrays are reinterpreted byte for byte, so the round trip is bit-exact.
 */
import type { Static } from '@sinclair/typebox';
import type { Threshold as ThresholdSchema } from '@anomalog/shared';
import { decodeModel, encodeModel, type Tensor32 } from './model-bytes';

export type Threshold = Static<typeof ThresholdSchema>;

const FORMAT = 'anomalog-calibration/1';

export class Calibration {
  /** Training scores, ascending. */
  readonly sorted: Float64Array;
  readonly threshold: Threshold;
  /** Raw score above which a row alerts. */
  readonly cut: number;

  private constructor(sorted: Float64Array, threshold: Threshold) {
    this.sorted = sorted;
    this.threshold = threshold;
    this.cut = quantile(sorted, 1 - threshold.value);
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

/** Linear-interpolated quantile of ascending values (numpy's default), q in [0, 1]. */
export function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Number of elements <= x in an ascending array (binary search). */
export function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
