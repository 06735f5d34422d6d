/**
 * Local Outlier Factor (Breunig et al., SIGMOD 2000) in novelty mode, as scikit-learn's
 * `LocalOutlierFactor(novelty=True)`: fit computes, for every training row, its k-distance and local
 * reachability density lrd = 1 / (mean reach-dist to its k neighbours + 1e-10), where
 * reach-dist(a, b) = max(d(a, b), k-distance(b)); a new row's score is the mean lrd of its k
 * training neighbours divided by its own lrd (1 = as dense as its neighbours, higher = outlier).
 * The 1e-10 is sklearn's: when k neighbours are identical copies the mean reach-dist is 0 and lrd
 * would be infinite.
 *
 * Identical training rows are indexed once with their count (knn-kdtree.ts): a training row's
 * neighbours are its other copies first, then the nearest other rows, exactly the multiset sklearn
 * sees. Ties between distinct rows at the same distance are broken by search order (sklearn's are
 * arbitrary too). Distances are Euclidean; k = min(neighbors, training rows - 1).
 */
import type { Detector, Explanation, FitReport, Matrix } from './detector';
import { checkMatrix, f64Tensor, i32Tensor, readF64, readI32 } from './calibration';
import { rankFeatures } from './isolation-forest';
import { dedupeRows } from '../matrix/dedupe-rows';
import { KdTree, KnnResult } from './knn-kdtree';
import { decodeModel, encodeModel } from './model-bytes';

export interface LofOptions {
  readonly neighbors: number;
  /** Unused (LOF is deterministic); kept so every detector takes a seed. */
  readonly seed: number;
}

export const LOF_DEFAULTS: LofOptions = { neighbors: 20, seed: 42 };

const FORMAT = 'anomalog-lof/1';
const EPS = 1e-10;

interface LofModel {
  tree: KdTree;
  k: number;
  kdist: Float64Array;
  lrd: Float64Array;
}

export class LofDetector implements Detector<Matrix> {
  readonly name = 'lof';
  readonly opts: LofOptions;
  private cols = 0;
  private m: LofModel | undefined;

  constructor(opts: Partial<LofOptions> = {}) {
    this.opts = { ...LOF_DEFAULTS, ...opts };
    if (!(Number.isInteger(this.opts.neighbors) && this.opts.neighbors >= 1))
      throw new Error('lof: neighbors must be an integer >= 1');
  }

  fit(train: Matrix): FitReport {
    const t0 = performance.now();
    checkMatrix('lof', train);
    if (train.rows < 2) throw new Error('lof: need at least 2 training rows');
    this.cols = train.cols;
    const { points, counts } = dedupeRows(train.data, train.rows, train.cols);
    const tree = new KdTree(points, train.cols, counts);
    const k = Math.min(this.opts.neighbors, train.rows - 1);
    // First pass: every distinct row's neighbours (kept) and k-distance; second: densities.
    const nb = {
      idx: new Int32Array(tree.n * k),
      dist: new Float64Array(tree.n * k),
      used: new Int32Array(tree.n * k),
      size: new Int32Array(tree.n),
    };
    const kdist = new Float64Array(tree.n);
    const res = new KnnResult(k);
    for (let p = 0; p < tree.n; p++) {
      tree.knn(points, p * train.cols, k, res, p);
      kdist[p] = res.dist[res.size - 1];
      nb.size[p] = res.size;
      nb.idx.set(res.idx.subarray(0, res.size), p * k);
      nb.dist.set(res.dist.subarray(0, res.size), p * k);
      nb.used.set(res.used.subarray(0, res.size), p * k);
    }
    const lrd = new Float64Array(tree.n);
    for (let p = 0; p < tree.n; p++) {
      let sum = 0;
      for (let j = p * k; j < p * k + nb.size[p]; j++) sum += nb.used[j] * Math.max(nb.dist[j], kdist[nb.idx[j]]);
      lrd[p] = 1 / (sum / k + EPS);
    }
    this.m = { tree, k, kdist, lrd };
    return { fitMs: performance.now() - t0, neighbors: k, distinctRows: tree.n };
  }

  score(input: Matrix): Float64Array {
    const m = this.model();
    checkMatrix('lof', input, this.cols);
    const out = new Float64Array(input.rows);
    const res = new KnnResult(m.k);
    for (let r = 0; r < input.rows; r++) {
      m.tree.knn(input.data, r * input.cols, m.k, res);
      let mean = 0;
      for (let j = 0; j < res.size; j++) mean += res.used[j] * m.lrd[res.idx[j]];
      out[r] = mean / m.k / density(res, m.kdist, m.k);
    }
    return out;
  }

  /** Features ranked by their share of the squared distance from the row to its k neighbours. */
  explain(input: Matrix, index: number, featureNames?: readonly string[]): Explanation {
    const m = this.model();
    checkMatrix('lof', input, this.cols);
    if (!(index >= 0 && index < input.rows)) throw new Error(`lof: row ${index} out of range`);
    const res = new KnnResult(m.k);
    const off = index * input.cols;
    m.tree.knn(input.data, off, m.k, res);
    const weight = new Float64Array(this.cols);
    for (let j = 0; j < res.size; j++) {
      const base = res.idx[j] * this.cols;
      for (let c = 0; c < this.cols; c++)
        weight[c] += res.used[j] * (input.data[off + c] - m.tree.points[base + c]) ** 2;
    }
    const lof = this.score({ data: input.data.subarray(off, off + input.cols), rows: 1, cols: input.cols })[0];
    const features = rankFeatures(weight, featureNames);
    const top = features[0] ? ` mostly in ${features[0].name ?? `feature ${features[0].index}`}` : '';
    return {
      reason: `${densityPhrase(lof, m.k)}; it differs from them${top || ' in no feature'}`,
      features,
    };
  }

  serialize(): Uint8Array {
    const m = this.model();
    return encodeModel({ format: FORMAT, opts: this.opts, cols: this.cols, k: m.k }, [
      f64Tensor(m.tree.points),
      i32Tensor(m.tree.weights),
      f64Tensor(m.kdist),
      f64Tensor(m.lrd),
    ]);
  }

  static load(bytes: Uint8Array): LofDetector {
    const who = 'lof';
    const { header, weights } = decodeModel(bytes, FORMAT, who);
    if (weights.length !== 4) throw new Error(`${who}: model file has ${weights.length} arrays, expected 4`);
    const d = new LofDetector(header.opts as LofOptions);
    const cols = Number(header.cols);
    const k = Number(header.k);
    if (!(Number.isInteger(cols) && cols > 0 && Number.isInteger(k) && k >= 1))
      throw new Error(`${who}: model file has a broken header`);
    const points = readF64(weights[0], who, 'points');
    if (points.length % cols !== 0) throw new Error(`${who}: model file points do not fill ${cols} columns`);
    const n = points.length / cols;
    const counts = readI32(weights[1], who, 'counts', n);
    let total = 0;
    for (const c of counts) {
      if (!(c >= 1)) throw new Error(`${who}: model file has a broken row count`);
      total += c;
    }
    if (k > total - 1) throw new Error(`${who}: model file has k=${k} for ${total} training rows`);
    d.cols = cols;
    d.m = {
      tree: new KdTree(points, cols, counts),
      k,
      kdist: readF64(weights[2], who, 'k-distance', n),
      lrd: readF64(weights[3], who, 'lrd', n),
    };
    return d;
  }

  private model(): LofModel {
    if (!this.m) throw new Error('lof: used before fit()');
    return this.m;
  }
}

/**
 * Neighbourhoods made of identical copies have a density capped only by the 1e-10 guard, so a row
 * just beside them gets a factor in the billions: say so instead of printing the number alone.
 */
function densityPhrase(lof: number, k: number): string {
  if (lof >= 1e6)
    return `off a spot where its ${k} nearest training rows are exact repeats (local outlier factor ${lof.toExponential(2)})`;
  return `local density ${lof.toPrecision(3)} times lower than that of its ${k} nearest training rows`;
}

/** lrd of a query from its neighbours: 1 / (mean reach-dist + 1e-10), as scikit-learn. */
function density(res: KnnResult, kdist: Float64Array, k: number): number {
  let sum = 0;
  for (let j = 0; j < res.size; j++) sum += res.used[j] * Math.max(res.dist[j], kdist[res.idx[j]]);
  return 1 / (sum / k + EPS);
}
