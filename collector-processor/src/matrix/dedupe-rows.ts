/** Distinct rows of a matrix with how often each occurs, in order of first appearance. */
export function dedupeRows(
  data: Float64Array,
  rows: number,
  cols: number,
): { points: Float64Array; counts: Int32Array } {
  const seen = new Map<string, number>();
  const first: number[] = [];
  const counts: number[] = [];
  for (let r = 0; r < rows; r++) {
    // Number -> string is exact (shortest round-trip form), so equal keys mean equal rows.
    const key = Array.prototype.join.call(data.subarray(r * cols, (r + 1) * cols), ',');
    const at = seen.get(key);
    if (at === undefined) {
      seen.set(key, first.length);
      first.push(r);
      counts.push(1);
    } else counts[at]++;
  }
  const points = new Float64Array(first.length * cols);
  first.forEach((r, i) => points.set(data.subarray(r * cols, (r + 1) * cols), i * cols));
  return { points, counts: Int32Array.from(counts) };
}
