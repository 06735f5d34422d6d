/**
 * Exact weighted k-nearest-neighbour search (Euclidean) with a k-d tree over a flat Float64Array
 * of points (Bentley 1975; bounding-box pruning as scikit-learn's KDTree). Each point carries a
 * weight: how many identical rows it stands for (count vectors repeat massively, so LOF indexes
 * distinct rows once). A query returns the nearest distinct points until their weights add up to k;
 * the last one may be used in part.
 *
 * Nodes split their widest dimension at the median position (quickselect), leaves hold <= 16
 * points, and every node keeps its points' bounding box: a subtree is skipped when the box is
 * farther than the current k-th distance. Leaves abandon a distance sum as soon as it exceeds that
 * bound. Building is deterministic, so a model reloaded from bytes searches exactly like the original.
 */

const LEAF = 16;

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

export class KdTree {
  readonly points: Float64Array;
  readonly n: number;
  readonly dim: number;
  readonly weights: Int32Array;
  private readonly order: Int32Array;
  /** The points in tree order, so a leaf scan reads memory sequentially. */
  private readonly leafPoints: Float64Array;
  /** Per node: range [lo, hi) of `order`, children (-1 for a leaf), box min/max (dim each). */
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly boxMin: Float64Array;
  private readonly boxMax: Float64Array;
  private nodes = 0;
  // Search state (one query at a time): squared k-th distance bound and the excluded point.
  private tau2 = Infinity;
  private exclude = -1;
  private k = 0;
  private covered = 0;

  constructor(points: Float64Array, dim: number, weights: Int32Array) {
    this.points = points;
    this.dim = dim;
    this.n = points.length / dim;
    this.weights = weights;
    this.order = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) this.order[i] = i;
    const cap = Math.max(1, 2 * Math.ceil(this.n / (LEAF / 2)));
    this.lo = new Int32Array(cap);
    this.hi = new Int32Array(cap);
    this.left = new Int32Array(cap);
    this.right = new Int32Array(cap);
    this.boxMin = new Float64Array(cap * dim);
    this.boxMax = new Float64Array(cap * dim);
    this.build(0, this.n, new Float64Array(this.n));
    this.leafPoints = new Float64Array(points.length);
    for (let i = 0; i < this.n; i++)
      this.leafPoints.set(points.subarray(this.order[i] * dim, (this.order[i] + 1) * dim), i * dim);
  }

  /** Distance from the row at data[off..off+dim) to point p. */
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
    this.tau2 = Infinity;
    this.exclude = exclude;
    this.k = k;
    this.covered = 0;
    if (this.n > 0) this.search(data, off, out, 0, this.boxDistance(data, off, 0));
    // The last neighbour gives only the weight still missing to reach k.
    let total = 0;
    for (let j = 0; j < out.size; j++) {
      const w = this.weight(out.idx[j]);
      out.used[j] = Math.min(w, k - total);
      total += w;
      out.dist[j] = Math.sqrt(out.dist[j]);
    }
  }

  private search(data: Float64Array, off: number, out: KnnResult, node: number, box2: number): void {
    if (box2 > this.tau2) return;
    const l = this.left[node];
    if (l < 0) {
      this.scanLeaf(data, off, out, node);
      return;
    }
    const r = this.right[node];
    const dl = this.boxDistance(data, off, l);
    const dr = this.boxDistance(data, off, r);
    if (dl <= dr) {
      this.search(data, off, out, l, dl);
      this.search(data, off, out, r, dr);
    } else {
      this.search(data, off, out, r, dr);
      this.search(data, off, out, l, dl);
    }
  }

  private scanLeaf(data: Float64Array, off: number, out: KnnResult, node: number): void {
    const pts = this.leafPoints;
    const dim = this.dim;
    const order = this.order;
    const end = this.hi[node];
    let bound = this.tau2;
    for (let i = this.lo[node]; i < end; i++) {
      const p = order[i];
      const base = i * dim;
      let s = 0;
      for (let c = 0; c < dim; c++) {
        const d = data[off + c] - pts[base + c];
        s += d * d;
      }
      if (s <= bound) bound = this.offer(out, p, s);
    }
    this.tau2 = bound;
  }

  /** Squared distance from the query to a node's bounding box (0 inside). */
  private boxDistance(data: Float64Array, off: number, node: number): number {
    const base = node * this.dim;
    let s = 0;
    for (let c = 0; c < this.dim; c++) {
      const q = data[off + c];
      const below = this.boxMin[base + c] - q;
      const above = q - this.boxMax[base + c];
      const d = below > 0 ? below : above > 0 ? above : 0;
      s += d * d;
    }
    return s;
  }

  /**
   * Inserts a candidate (squared distance; after equal ones, so ties keep the first found), drops
   * tail entries no longer needed to reach weight k, and returns the new bound.
   */
  private offer(out: KnnResult, p: number, d2: number): number {
    const w = this.weight(p);
    if (w > 0) {
      let i = out.size;
      while (i > 0 && out.dist[i - 1] > d2) {
        out.idx[i] = out.idx[i - 1];
        out.dist[i] = out.dist[i - 1];
        i--;
      }
      out.idx[i] = p;
      out.dist[i] = d2;
      out.size++;
      this.covered += w;
      while (out.size > 1) {
        const last = this.weight(out.idx[out.size - 1]);
        if (this.covered - last < this.k) break;
        this.covered -= last;
        out.size--;
      }
    }
    return this.covered >= this.k ? out.dist[out.size - 1] : Infinity;
  }

  private weight(p: number): number {
    return this.weights[p] - (p === this.exclude ? 1 : 0);
  }

  /** Builds the node over order[lo, hi) and its subtree; returns the node id. */
  private build(lo: number, hi: number, scratch: Float64Array): number {
    const node = this.nodes++;
    const dim = this.dim;
    this.lo[node] = lo;
    this.hi[node] = hi;
    const bmin = this.boxMin.subarray(node * dim, (node + 1) * dim).fill(Infinity);
    const bmax = this.boxMax.subarray(node * dim, (node + 1) * dim).fill(-Infinity);
    for (let i = lo; i < hi; i++) {
      const base = this.order[i] * dim;
      for (let c = 0; c < dim; c++) {
        const v = this.points[base + c];
        if (v < bmin[c]) bmin[c] = v;
        if (v > bmax[c]) bmax[c] = v;
      }
    }
    let split = 0;
    for (let c = 1; c < dim; c++) if (bmax[c] - bmin[c] > bmax[split] - bmin[split]) split = c;
    if (hi - lo <= LEAF || !(bmax[split] > bmin[split])) {
      this.left[node] = -1;
      this.right[node] = -1;
      return node;
    }
    for (let i = lo; i < hi; i++) scratch[i] = this.points[this.order[i] * dim + split];
    const mid = (lo + hi) >> 1;
    select(scratch, this.order, lo, hi - 1, mid);
    this.left[node] = this.build(lo, mid, scratch);
    this.right[node] = this.build(mid, hi, scratch);
    return node;
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
