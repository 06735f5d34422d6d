/**
 * Exact weighted k-nearest-neighbour search (Euclidean) with a vantage-point tree (Yianilos 1993)
 * over a flat Float64Array of points. Each point carries a weight (how many identical rows it stands
 * for: count vectors repeat massively, so LOF indexes distinct rows once). A query returns the
 * nearest distinct points until their weights add up to k; the last one may be used in part.
 *
 * The tree is implicit in a permutation of the points: the node over positions [lo, hi) has its
 * vantage point at lo, points within radius[lo] of it in [lo+1, mid) and the rest in [mid, hi),
 * mid = (lo + 1 + hi) >> 1. Building is deterministic (no random vantage choice), so a model
 * reloaded from bytes searches exactly like the original.
 */

const LEAF = 8;

/** Neighbours of one query, nearest first: distinct point index, distance, weight used. */
export class KnnResult {
  readonly idx: Int32Array;
  readonly dist: Float64Array;
  readonly used: Int32Array;
  size = 0;
  constructor(k: number) {
    this.idx = new Int32Array(k + 1);
    this.dist = new Float64Array(k + 1);
    this.used = new Int32Array(k + 1);
  }
}

export class VpTree {
  readonly points: Float64Array;
  readonly n: number;
  readonly dim: number;
  readonly weights: Int32Array;
  private readonly order: Int32Array;
  private readonly radius: Float64Array;

  constructor(points: Float64Array, dim: number, weights: Int32Array) {
    this.points = points;
    this.dim = dim;
    this.n = points.length / dim;
    this.weights = weights;
    this.order = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) this.order[i] = i;
    this.radius = new Float64Array(this.n);
    this.build(new Float64Array(this.n));
  }

  /** Distance from row `q` of `data` (offset q*dim) to point p. */
  distance(data: Float64Array, off: number, p: number): number {
    const pts = this.points;
    const base = p * this.dim;
    let s = 0;
    for (let c = 0; c < this.dim; c++) {
      const d = data[off + c] - pts[base + c];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /**
   * k nearest by weight for the query at data[off..off+dim). `exclude` (a point index, or -1) has
   * one unit of its weight removed: a training row is not its own neighbour, its copies are.
   */
  knn(data: Float64Array, off: number, k: number, out: KnnResult, exclude = -1): void {
    out.size = 0;
    this.search(data, off, k, out, exclude, 0, this.n, { tau: Infinity });
  }

  private search(data: Float64Array, off: number, k: number, out: KnnResult, exclude: number, lo: number, hi: number, st: { tau: number }): void {
    if (hi - lo <= LEAF) {
      for (let i = lo; i < hi; i++) {
        const p = this.order[i];
        const d = this.distance(data, off, p);
        if (d <= st.tau) st.tau = this.offer(out, k, p, d, exclude);
      }
      return;
    }
    const vp = this.order[lo];
    const d = this.distance(data, off, vp);
    if (d <= st.tau) st.tau = this.offer(out, k, vp, d, exclude);
    const mu = this.radius[lo];
    const mid = (lo + 1 + hi) >> 1;
    if (d < mu) {
      this.search(data, off, k, out, exclude, lo + 1, mid, st);
      if (d + st.tau >= mu) this.search(data, off, k, out, exclude, mid, hi, st);
    } else {
      this.search(data, off, k, out, exclude, mid, hi, st);
      if (d - st.tau <= mu) this.search(data, off, k, out, exclude, lo + 1, mid, st);
    }
  }

  /** Inserts a candidate (after equal distances, so ties keep the first found); returns the new bound. */
  private offer(out: KnnResult, k: number, p: number, d: number, exclude: number): number {
    if (this.weight(p, exclude) > 0) {
      let i = out.size;
      while (i > 0 && out.dist[i - 1] > d) {
        out.idx[i] = out.idx[i - 1];
        out.dist[i] = out.dist[i - 1];
        i--;
      }
      out.idx[i] = p;
      out.dist[i] = d;
      out.size++;
    }
    // Keep the shortest prefix whose weights reach k; the last one gives only what is missing.
    let total = 0;
    for (let j = 0; j < out.size; j++) {
      const w = this.weight(out.idx[j], exclude);
      out.used[j] = Math.min(w, k - total);
      total += w;
      if (total >= k) {
        out.size = j + 1;
        return out.dist[j];
      }
    }
    return Infinity;
  }

  private weight(p: number, exclude: number): number {
    return this.weights[p] - (p === exclude ? 1 : 0);
  }

  private build(scratch: Float64Array): void {
    const stack: number[] = [0, this.n];
    while (stack.length) {
      const hi = stack.pop()!;
      const lo = stack.pop()!;
      if (hi - lo <= LEAF) continue;
      const vp = this.order[lo];
      const off = vp * this.dim;
      for (let i = lo + 1; i < hi; i++) scratch[i] = this.distance(this.points, off, this.order[i]);
      const mid = (lo + 1 + hi) >> 1;
      select(scratch, this.order, lo + 1, hi - 1, mid);
      this.radius[lo] = scratch[mid];
      stack.push(lo + 1, mid, mid, hi);
    }
  }
}

/** Quickselect on keys[lo..hi] (inclusive), moving `order` along: keys[nth] ends in sorted place. */
function select(keys: Float64Array, order: Int32Array, lo: number, hi: number, nth: number): void {
  const swap = (a: number, b: number): void => {
    const k = keys[a];
    keys[a] = keys[b];
    keys[b] = k;
    const o = order[a];
    order[a] = order[b];
    order[b] = o;
  };
  while (hi > lo) {
    // Median of three keeps sorted or repetitive inputs from degrading.
    const m = (lo + hi) >> 1;
    if (keys[m] < keys[lo]) swap(m, lo);
    if (keys[hi] < keys[lo]) swap(hi, lo);
    if (keys[hi] < keys[m]) swap(hi, m);
    const pivot = keys[m];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i] < pivot) i++;
      while (keys[j] > pivot) j--;
      if (i <= j) swap(i++, j--);
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return;
  }
}

/** Distinct rows of a matrix with how often each occurs, in order of first appearance. */
export function dedupeRows(data: Float64Array, rows: number, cols: number): { points: Float64Array; counts: Int32Array } {
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
