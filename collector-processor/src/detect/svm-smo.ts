/**
 * SMO solver for the one-class SVM dual, after libsvm's Solver (Fan, Chen, Lin, JMLR 2005):
 *
 *   min 0.5 a'Qa   subject to 0 <= a_i <= C_i, sum a_i = nu * sum C_i,   Q_ij = exp(-gamma |x_i - x_j|^2)
 *
 * with second-order working-set selection (WSS2), libsvm's two-variable update and clipping, and
 * its stopping rule (maximal violating pair gap < eps). Per-variable bounds C_i are scikit-learn's
 * sample weights; the one-class detector uses them to solve over distinct rows, C_i = copies of
 * row i, which has the same optimum as the full problem (copies share a kernel row, so only their
 * total weight matters). No shrinking: an iteration is O(rows) and distinct count vectors are few.
 * Kernel rows are cached as Float32Array (as libsvm's Qfloat) in an LRU bounded by bytes.
 */

const TAU = 1e-12;

export interface SmoResult {
  readonly alpha: Float64Array;
  readonly rho: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** RBF kernel rows over a flat point matrix, LRU-cached. */
export class RbfRows {
  private readonly cache = new Map<number, Float32Array>();
  private readonly capacity: number;
  readonly n: number;

  constructor(
    private readonly points: Float64Array,
    private readonly dim: number,
    private readonly gamma: number,
    cacheBytes = 256 * 2 ** 20,
  ) {
    this.n = points.length / dim;
    this.capacity = Math.max(2, Math.floor(cacheBytes / (4 * Math.max(1, this.n))));
  }

  row(i: number): Float32Array {
    const hit = this.cache.get(i);
    if (hit) {
      this.cache.delete(i); // re-insert: Map order is the LRU order
      this.cache.set(i, hit);
      return hit;
    }
    const out = this.compute(i, new Float32Array(this.n));
    if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(i, out);
    return out;
  }

  /** Kernel row i into `out`, bypassing the cache (for one-off passes such as the initial gradient). */
  compute(i: number, out: Float32Array): Float32Array {
    const { points, dim, gamma } = this;
    const bi = i * dim;
    for (let j = 0; j < this.n; j++) {
      const bj = j * dim;
      let s = 0;
      for (let c = 0; c < dim; c++) {
        const d = points[bi + c] - points[bj + c];
        s += d * d;
      }
      out[j] = Math.exp(-gamma * s);
    }
    return out;
  }
}

export function solveOneClass(q: RbfRows, upper: Float64Array, nu: number, eps = 1e-3, maxIter?: number): SmoResult {
  const n = q.n;
  const alpha = new Float64Array(n);
  // libsvm / sklearn start: fill the bounds in order until the budget nu * sum(C) is spent.
  let budget = 0;
  for (const c of upper) budget += c * nu;
  for (let i = 0; i < n && budget > 0; i++) {
    alpha[i] = Math.min(upper[i], budget);
    budget -= alpha[i];
  }
  const grad = new Float64Array(n);
  const buf = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    if (alpha[j] === 0) continue;
    // Not cached: about nu * n rows are touched once here, and would evict the useful ones.
    const row = q.compute(j, buf);
    for (let k = 0; k < n; k++) grad[k] += alpha[j] * row[k];
  }
  const limit = maxIter ?? Math.max(10_000_000, 100 * n);
  let iter = 0;
  let converged = false;
  while (iter < limit) {
    const pair = selectPair(q, alpha, grad, upper, eps);
    if (!pair) {
      converged = true;
      break;
    }
    iter++;
    update(q, alpha, grad, upper, pair[0], pair[1]);
  }
  return { alpha, rho: computeRho(alpha, grad, upper), iterations: iter, converged };
}

/** WSS2 (libsvm select_working_set with all y = +1); undefined when the gap is below eps. */
function selectPair(
  q: RbfRows,
  alpha: Float64Array,
  grad: Float64Array,
  upper: Float64Array,
  eps: number,
): [number, number] | undefined {
  const n = alpha.length;
  let gmax = -Infinity;
  let i = -1;
  for (let t = 0; t < n; t++) {
    if (alpha[t] < upper[t] && -grad[t] >= gmax) {
      gmax = -grad[t];
      i = t;
    }
  }
  if (i < 0) return undefined;
  const qi = q.row(i);
  let gmax2 = -Infinity;
  let objMin = Infinity;
  let j = -1;
  for (let t = 0; t < n; t++) {
    if (!(alpha[t] > 0)) continue;
    if (grad[t] >= gmax2) gmax2 = grad[t];
    const diff = gmax + grad[t];
    if (diff > 0) {
      let quad = qi[i] + 1 - 2 * qi[t]; // Q_tt = 1 for the RBF kernel
      if (quad <= 0) quad = TAU;
      const obj = -(diff * diff) / quad;
      if (obj <= objMin) {
        objMin = obj;
        j = t;
      }
    }
  }
  if (gmax + gmax2 < eps || j < 0) return undefined;
  return [i, j];
}

/** libsvm's update for y_i = y_j, with clipping to [0, C_i] x [0, C_j]. */
function update(q: RbfRows, alpha: Float64Array, grad: Float64Array, upper: Float64Array, i: number, j: number): void {
  const qi = q.row(i);
  const qj = q.row(j);
  const ci = upper[i];
  const cj = upper[j];
  const oldI = alpha[i];
  const oldJ = alpha[j];
  let quad = qi[i] + qj[j] - 2 * qi[j];
  if (quad <= 0) quad = TAU;
  const delta = (grad[i] - grad[j]) / quad;
  const sum = oldI + oldJ;
  let ai = oldI - delta;
  let aj = oldJ + delta;
  if (sum > ci) {
    if (ai > ci) {
      ai = ci;
      aj = sum - ci;
    }
  } else if (aj < 0) {
    aj = 0;
    ai = sum;
  }
  if (sum > cj) {
    if (aj > cj) {
      aj = cj;
      ai = sum - cj;
    }
  } else if (ai < 0) {
    ai = 0;
    aj = sum;
  }
  alpha[i] = ai;
  alpha[j] = aj;
  const di = ai - oldI;
  const dj = aj - oldJ;
  for (let k = 0; k < alpha.length; k++) grad[k] += qi[k] * di + qj[k] * dj;
}

/** libsvm calculate_rho: mean gradient over free variables, else the middle of the feasible range. */
function computeRho(alpha: Float64Array, grad: Float64Array, upper: Float64Array): number {
  let ub = Infinity;
  let lb = -Infinity;
  let sum = 0;
  let free = 0;
  for (let i = 0; i < alpha.length; i++) {
    if (alpha[i] >= upper[i]) lb = Math.max(lb, grad[i]);
    else if (alpha[i] <= 0) ub = Math.min(ub, grad[i]);
    else {
      free++;
      sum += grad[i];
    }
  }
  if (free > 0) return sum / free;
  // All at a bound on one side (nu = 1 puts every alpha at its upper bound): libsvm would return an
  // infinite rho; the finite side is the tightest valid offset.
  if (Number.isFinite(ub) && Number.isFinite(lb)) return (ub + lb) / 2;
  return Number.isFinite(lb) ? lb : ub;
}
