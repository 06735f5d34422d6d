/**
 * One-Class SVM (Schölkopf et al. 2001) with an RBF kernel, as scikit-learn's `OneClassSVM`
 * (libsvm): `nu` bounds the share of training rows outside the boundary and of support vectors;
 * `gamma` is a number or 'scale' = 1 / (features * variance of all training values), 1 when that
 * variance is 0. Raw score = rho - sum_i alpha_i K(sv_i, x): scikit-learn's -decision_function, so
 * it is > 0 outside the learned region and higher = more anomalous.
 *
 * Training solves the dual with our own SMO (svm-smo.ts, libsvm's WSS2 and update rules, tolerance
 * 1e-3 as sklearn) over distinct training rows weighted by their counts, which is exactly
 * scikit-learn's fit with sample_weight = counts and the same optimum as the fit on all rows. We
 * did not use `libsvm-js` (npm 0.2.1): it has no per-row weights, so it would solve the full,
 * much larger problem, and it ships as an async-loaded emscripten module without types.
 */
import type { Detector, Explanation, FitReport, Matrix } from './detector';
import { checkMatrix, f64Tensor, readF64 } from './calibration';
import { rankFeatures } from './isolation-forest';
import { dedupeRows } from '../matrix/dedupe-rows';
import { decodeModel, encodeModel } from './model-bytes';
import { RbfRows, solveOneClass } from './svm-smo';

export interface OneClassSvmOptions {
  readonly nu: number;
  readonly gamma: number | 'scale';
  /** Stopping tolerance of the solver (scikit-learn's `tol`). */
  readonly tol: number;
  /** Unused (the solver is deterministic); kept so every detector takes a seed. */
  readonly seed: number;
}

export const ONE_CLASS_SVM_DEFAULTS: OneClassSvmOptions = { nu: 0.5, gamma: 'scale', tol: 1e-3, seed: 42 };

const FORMAT = 'anomalog-one-class-svm/1';

interface SvmModel {
  gamma: number;
  rho: number;
  /** Support vectors, row-major, and their coefficients. */
  sv: Float64Array;
  alpha: Float64Array;
}

export class OneClassSvmDetector implements Detector<Matrix> {
  readonly name = 'one-class-svm';
  readonly opts: OneClassSvmOptions;
  private cols = 0;
  private m: SvmModel | undefined;

  constructor(opts: Partial<OneClassSvmOptions> = {}) {
    this.opts = { ...ONE_CLASS_SVM_DEFAULTS, ...opts };
    const { nu, gamma, tol } = this.opts;
    if (!(nu > 0 && nu <= 1)) throw new Error('one-class-svm: nu must be in (0, 1]');
    if (gamma !== 'scale' && !(typeof gamma === 'number' && gamma > 0))
      throw new Error("one-class-svm: gamma must be 'scale' or > 0");
    if (!(tol > 0)) throw new Error('one-class-svm: tol must be > 0');
  }

  fit(train: Matrix): FitReport {
    const t0 = performance.now();
    checkMatrix('one-class-svm', train);
    this.cols = train.cols;
    const gamma = this.opts.gamma === 'scale' ? scaleGamma(train) : this.opts.gamma;
    const { points, counts } = dedupeRows(train.data, train.rows, train.cols);
    const rows = new RbfRows(points, train.cols, gamma);
    const res = solveOneClass(rows, Float64Array.from(counts), this.opts.nu, this.opts.tol);
    let nsv = 0;
    for (const a of res.alpha) if (a > 0) nsv++;
    const sv = new Float64Array(nsv * train.cols);
    const alpha = new Float64Array(nsv);
    for (let i = 0, k = 0; i < res.alpha.length; i++) {
      if (!(res.alpha[i] > 0)) continue;
      sv.set(points.subarray(i * train.cols, (i + 1) * train.cols), k * train.cols);
      alpha[k++] = res.alpha[i];
    }
    this.m = { gamma, rho: res.rho, sv, alpha };
    return {
      fitMs: performance.now() - t0,
      gamma,
      distinctRows: rows.n,
      supportVectors: nsv,
      iterations: res.iterations,
      converged: res.converged ? 1 : 0,
    };
  }

  score(input: Matrix): Float64Array {
    const m = this.model();
    checkMatrix('one-class-svm', input, this.cols);
    const out = new Float64Array(input.rows);
    for (let r = 0; r < input.rows; r++) out[r] = m.rho - this.kernelSum(input.data, r * input.cols);
    return out;
  }

  /**
   * Features ranked by their share of the squared distance to the nearest support vector (far
   * rows get no kernel mass at all, so the nearest piece of the boundary is the useful reference).
   */
  explain(input: Matrix, index: number, featureNames?: readonly string[]): Explanation {
    const m = this.model();
    checkMatrix('one-class-svm', input, this.cols);
    if (!(index >= 0 && index < input.rows)) throw new Error(`one-class-svm: row ${index} out of range`);
    const off = index * input.cols;
    let best = 0;
    let bestD = Infinity;
    for (let s = 0; s < m.alpha.length; s++) {
      const d = sqDist(input.data, off, m.sv, s * this.cols, this.cols);
      if (d < bestD) {
        bestD = d;
        best = s;
      }
    }
    const weight = new Float64Array(this.cols);
    for (let c = 0; c < this.cols; c++) weight[c] = (input.data[off + c] - m.sv[best * this.cols + c]) ** 2;
    const raw = m.rho - this.kernelSum(input.data, off);
    const features = rankFeatures(weight, featureNames);
    const top = features[0]
      ? `; it differs from the nearest support vector mostly in ${features[0].name ?? `feature ${features[0].index}`}`
      : '';
    return {
      reason: `${raw > 0 ? 'outside' : 'inside'} the learned region (margin ${(-raw).toPrecision(3)})${top}`,
      features,
    };
  }

  serialize(): Uint8Array {
    const m = this.model();
    return encodeModel({ format: FORMAT, opts: this.opts, cols: this.cols, gamma: m.gamma, rho: m.rho }, [
      f64Tensor(m.sv),
      f64Tensor(m.alpha),
    ]);
  }

  static load(bytes: Uint8Array): OneClassSvmDetector {
    const who = 'one-class-svm';
    const { header, weights } = decodeModel(bytes, FORMAT, who);
    if (weights.length !== 2) throw new Error(`${who}: model file has ${weights.length} arrays, expected 2`);
    const d = new OneClassSvmDetector(header.opts as OneClassSvmOptions);
    const cols = Number(header.cols);
    const gamma = header.gamma;
    const rho = header.rho;
    if (!(Number.isInteger(cols) && cols > 0) || typeof gamma !== 'number' || !(gamma > 0) || typeof rho !== 'number')
      throw new Error(`${who}: model file has a broken header`);
    const alpha = readF64(weights[1], who, 'alpha');
    const sv = readF64(weights[0], who, 'support vector', alpha.length * cols);
    d.cols = cols;
    d.m = { gamma, rho, sv, alpha };
    return d;
  }

  private kernelSum(data: Float64Array, off: number): number {
    const m = this.model();
    let s = 0;
    for (let k = 0; k < m.alpha.length; k++)
      s += m.alpha[k] * Math.exp(-m.gamma * sqDist(data, off, m.sv, k * this.cols, this.cols));
    return s;
  }

  private model(): SvmModel {
    if (!this.m) throw new Error('one-class-svm: used before fit()');
    return this.m;
  }
}

/** scikit-learn's gamma='scale': 1 / (n_features * X.var()) over all values, 1 if the variance is 0. */
export function scaleGamma(x: Matrix): number {
  let mean = 0;
  for (const v of x.data) mean += v;
  mean /= x.data.length;
  let v2 = 0;
  for (const v of x.data) v2 += (v - mean) ** 2;
  const variance = v2 / x.data.length;
  return variance > 0 ? 1 / (x.cols * variance) : 1;
}

function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, dim: number): number {
  let s = 0;
  for (let c = 0; c < dim; c++) {
    const d = a[ao + c] - b[bo + c];
    s += d * d;
  }
  return s;
}
