/**
 * Peaks over threshold (POT): a high quantile of scores from the tail of their distribution, as the
 * initialisation step of SPOT (Siffer et al., KDD 2017). Scores above an initial threshold t (the
 * `init` empirical quantile) are excesses y = x − t; by the Pickands–Balkema–de Haan theorem they
 * follow a generalised Pareto distribution GPD(γ, σ) for a high enough t, fitted here by maximum
 * likelihood. The quantile with tail probability `risk` is then
 *   z = t + σ/γ · ((risk · n / Nt)^(−γ) − 1)   (γ ≠ 0),   z = t − σ · ln(risk · n / Nt)   (γ = 0),
 * which can extrapolate beyond the largest score when `risk` is below 1/n, where a plain percentile
 * cannot. Used to measure threshold rules (bench/threshold-rules.ts); not the default threshold.
 *
 * The fit follows Grimshaw (1993): with x = γ/σ the likelihood is maximal in γ at
 * γ(x) = mean ln(1 + x·y), so it reduces to the one-dimensional profile
 *   ℓ(x) = −Nt · (ln(γ(x)/x) + 1 + γ(x)),  x ∈ (−1/max y, 0) ∪ (0, ∞),
 * and x → 0 is the exponential tail (γ = 0, σ = mean y). We scan ℓ on a grid on both sides and refine
 * the best point by golden-section search.
 */
import { quantile } from './quantile';

export interface GpdFit {
  /** Shape γ (0: exponential tail, > 0: heavy, < 0: bounded). */
  gamma: number;
  /** Scale σ > 0. */
  sigma: number;
  /** Log-likelihood of the excesses. */
  logLik: number;
}

export interface PotQuantile extends GpdFit {
  /** The quantile: scores above it have tail probability `risk`. */
  z: number;
  /** Initial threshold t and the number of excesses over it. */
  t: number;
  excesses: number;
}

/** Fewer excesses than this: no tail fit, POT returns the empirical quantile. */
export const MIN_EXCESSES = 10;

/**
 * The (1 − risk) quantile of ascending `sorted` scores by POT. With fewer than MIN_EXCESSES scores
 * strictly above the initial threshold (few or heavily tied scores) it is the empirical quantile.
 */
export function potQuantile(sorted: Float64Array, risk: number, init = 0.98): PotQuantile {
  if (!(risk > 0 && risk < 1)) throw new Error('pot: risk must be in (0, 1)');
  if (!(init > 0 && init < 1)) throw new Error('pot: init must be in (0, 1)');
  const n = sorted.length;
  const t = quantile(sorted, init);
  let first = n;
  while (first > 0 && sorted[first - 1] > t) first--;
  const y = Float64Array.from(sorted.subarray(first), (x) => x - t);
  const empirical = { z: quantile(sorted, 1 - risk), t, excesses: y.length, gamma: NaN, sigma: NaN, logLik: NaN };
  if (y.length < MIN_EXCESSES) return empirical;
  const fit = fitGpd(y);
  const r = (risk * n) / y.length;
  const z =
    Math.abs(fit.gamma) < 1e-9 ? t - fit.sigma * Math.log(r) : t + (fit.sigma / fit.gamma) * (r ** -fit.gamma - 1);
  return { ...fit, z, t, excesses: y.length };
}

/** Maximum-likelihood GPD fit of positive excesses (Grimshaw's profile, see the file comment). */
export function fitGpd(y: Float64Array): GpdFit {
  if (y.length === 0) throw new Error('pot: no excesses to fit');
  let mean = 0;
  let max = 0;
  for (const v of y) {
    if (!(v > 0)) throw new Error('pot: excesses must be > 0');
    mean += v / y.length;
    max = Math.max(max, v);
  }
  let best = exponential(y, mean);
  // negative side: x in (−1/max, 0); positive side: x in (0, 1e6/mean], both on log-spaced grids
  const candidates: number[] = [];
  for (let i = 1; i <= 60; i++) candidates.push((-1 / max) * (1 - 10 ** (-i / 10)));
  for (let i = 0; i <= 120; i++) candidates.push((1e-6 / mean) * 10 ** (i / 10));
  let bestX = 0;
  for (const x of candidates) {
    const f = profile(y, x);
    if (f.logLik > best.logLik) {
      best = f;
      bestX = x;
    }
  }
  if (bestX === 0) return best;
  // refine between the grid neighbours of the best point (same side of 0)
  const side = candidates.filter((c) => Math.sign(c) === Math.sign(bestX)).sort((a, b) => a - b);
  const j = side.indexOf(bestX);
  const lo = side[Math.max(0, j - 1)];
  const hi = side[Math.min(side.length - 1, j + 1)];
  const refined = profile(
    y,
    goldenMax((x) => profile(y, x).logLik, lo, hi),
  );
  return refined.logLik >= best.logLik ? refined : best;
}

function exponential(y: Float64Array, mean: number): GpdFit {
  return { gamma: 0, sigma: mean, logLik: -y.length * (Math.log(mean) + 1) };
}

/** γ(x), σ = γ/x and the profile log-likelihood at x = γ/σ (x ≠ 0, 1 + x·y > 0 for all y). */
function profile(y: Float64Array, x: number): GpdFit {
  let s = 0;
  for (const v of y) {
    const a = 1 + x * v;
    if (!(a > 0)) return { gamma: NaN, sigma: NaN, logLik: -Infinity };
    s += Math.log(a);
  }
  const gamma = s / y.length;
  const sigma = gamma / x;
  if (!(sigma > 0) || gamma === 0) return { gamma: NaN, sigma: NaN, logLik: -Infinity };
  return { gamma, sigma, logLik: -y.length * (Math.log(sigma) + 1 + gamma) };
}

/** Arg max of a unimodal f on [a, b] by golden-section search. */
function goldenMax(f: (x: number) => number, a: number, b: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let k = 0; k < 80; k++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}
