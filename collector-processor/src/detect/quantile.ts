/** Order statistics of ascending Float64Arrays, shared by calibration and POT. */

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
