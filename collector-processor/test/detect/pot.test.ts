import { fitGpd, potQuantile } from '../../src/detect/pot';
import { quantile } from '../../src/detect/calibration';

/** n scores at the (i + 0.5)/n quantiles of a distribution: a sample without sampling noise. */
function sample(n: number, inverseCdf: (p: number) => number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => inverseCdf((i + 0.5) / n)).sort();
}

describe('POT (peaks over threshold)', () => {
  test('exponential scores: the 1e-4 tail quantile beyond the sample max of 2,000 scores', () => {
    const s = sample(2000, (p) => -Math.log(1 - p));
    const pot = potQuantile(s, 1e-4);
    // true quantile -ln(1e-4) = 9.21; the largest score is 8.29, a percentile cannot go past it
    expect(pot.z).toBeGreaterThan(s[s.length - 1]);
    expect(pot.z).toBeCloseTo(-Math.log(1e-4), 0);
    expect(Math.abs(pot.gamma)).toBeLessThan(0.1);
    expect(pot.excesses).toBe(40);
  });

  test('a heavy tail (GPD shape 0.5): shape, scale and the 1e-3 quantile', () => {
    const gpd = (p: number) => 2 * ((1 - p) ** -0.5 - 1); // GPD(γ 0.5, σ 1)
    const s = sample(20000, gpd);
    const pot = potQuantile(s, 1e-3, 0.9);
    expect(pot.gamma).toBeCloseTo(0.5, 1);
    expect(pot.z / gpd(1 - 1e-3)).toBeGreaterThan(0.95);
    expect(pot.z / gpd(1 - 1e-3)).toBeLessThan(1.05);
  });

  test('a bounded tail (uniform scores): negative shape, the quantile stays below the bound', () => {
    const s = sample(5000, (p) => p);
    const pot = potQuantile(s, 1e-3);
    // γ = −1 is where the GPD likelihood stops being regular: the estimate lands near it (−1.1)
    expect(pot.gamma).toBeLessThan(-0.8);
    expect(pot.z).toBeGreaterThan(0.998);
    expect(pot.z).toBeLessThanOrEqual(1);
  });

  test('fitGpd recovers the exponential case and refuses non-positive excesses', () => {
    const fit = fitGpd(sample(1000, (p) => -3 * Math.log(1 - p)));
    expect(fit.sigma).toBeCloseTo(3, 0);
    expect(() => fitGpd(Float64Array.from([1, 0]))).toThrow('excesses');
  });

  test('too few distinct tail scores (ties): falls back to the empirical quantile', () => {
    const s = Float64Array.from({ length: 1000 }, (_, i) => (i < 995 ? 1 : 2));
    const pot = potQuantile(s, 0.01);
    expect(pot.excesses).toBe(5);
    expect(pot.z).toBe(quantile(s, 0.99));
    expect(() => potQuantile(s, 0)).toThrow('risk');
  });
});
