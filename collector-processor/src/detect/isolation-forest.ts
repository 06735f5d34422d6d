/**
 * Isolation Forest (Liu, Ting, Zhou, ICDM 2008): random trees grown on sub-samples of psi rows
 * (default 256, without replacement) to depth ceil(log2 psi); each node splits a random feature at a
 * uniform random value between its min and max in the node. Anomalies are isolated in few splits:
 * path length h(x) = depth of the leaf + c(leaf size), score s = 2^(-E[h(x)] / c(psi)) in (0, 1],
 * higher = more anomalous, where c(n) = 2 H(n-1) - 2 (n-1)/n is the average path length of an
 * unsuccessful BST search (c(2) = 1, c(1) = 0).
 *
 * As in scikit-learn, a node only draws among features that are not constant in it (count vectors
 * have many constant columns; a split on one would isolate nothing), and becomes a leaf when all are.
 * Unlike scikit-learn, a column constant over the whole training set still counts when scoring: a
 * row with another value there (a template no normal session had, an unseen-template flag) is
 * outside everything the trees were grown on, so it is taken as isolated at the root, a split on
 * that column being the first cut that would separate it: its mean path length becomes
 * 1 + h/(h + c(psi)), in (1, 2), which keeps the forest's order among such rows. Without this such
 * rows score by their other columns only, often under the rare normal training rows, and the
 * forest ranks them well (ROC-AUC) while no threshold from training scores flags them.
 * All trees live in flat typed arrays (children of a node are `left` and `left + 1`), so scoring is a
 * tight loop and serialisation is a handful of arrays.
 */
import type { Detector, Explanation, FitReport, Matrix } from './detector';
import { checkMatrix, f64Tensor, i32Tensor, readF64, readI32 } from './calibration';
import { decodeModel, encodeModel } from './model-bytes';
import { mulberry32 } from '../util/random';

export interface IsolationForestOptions {
  readonly trees: number;
  readonly sampleSize: number;
  readonly seed: number;
}

export const ISOLATION_FOREST_DEFAULTS: IsolationForestOptions = { trees: 100, sampleSize: 256, seed: 42 };

const FORMAT = 'anomalog-isolation-forest/1';
const EULER_GAMMA = 0.5772156649015329;

/** c(n): average path length of an unsuccessful search in a BST of n nodes (Liu et al., eq. 1). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** All trees, flat. feature < 0 marks a leaf; `value` of a leaf is depth + c(size). */
interface Forest {
  roots: Int32Array;
  feature: Int32Array;
  left: Int32Array;
  size: Int32Array;
  split: Float64Array;
  value: Float64Array;
}

export class IsolationForestDetector implements Detector<Matrix> {
  readonly name = 'isolation-forest';
  readonly opts: IsolationForestOptions;
  private cols = 0;
  private psi = 0;
  private forest: Forest | undefined;
  /** Columns constant over the training rows, and their value there (see the file comment). */
  private constCols: Int32Array = new Int32Array(0);
  private constVals: Float64Array = new Float64Array(0);

  constructor(opts: Partial<IsolationForestOptions> = {}) {
    this.opts = { ...ISOLATION_FOREST_DEFAULTS, ...opts };
    if (!(Number.isInteger(this.opts.trees) && this.opts.trees >= 1))
      throw new Error('isolation-forest: trees must be an integer >= 1');
    if (!(Number.isInteger(this.opts.sampleSize) && this.opts.sampleSize >= 2))
      throw new Error('isolation-forest: sampleSize must be an integer >= 2');
  }

  fit(train: Matrix): FitReport {
    const t0 = performance.now();
    checkMatrix('isolation-forest', train);
    if (train.rows < 2) throw new Error('isolation-forest: need at least 2 training rows');
    this.cols = train.cols;
    this.psi = Math.min(this.opts.sampleSize, train.rows);
    this.forest = growForest(train, this.psi, this.opts.trees, mulberry32(this.opts.seed));
    [this.constCols, this.constVals] = constantColumns(train);
    return {
      fitMs: performance.now() - t0,
      trees: this.opts.trees,
      sampleSize: this.psi,
      nodes: this.forest.feature.length,
    };
  }

  score(input: Matrix): Float64Array {
    const f = this.model();
    checkMatrix('isolation-forest', input, this.cols);
    const out = new Float64Array(input.rows);
    const c = averagePathLength(this.psi);
    for (let r = 0; r < input.rows; r++) {
      const base = r * input.cols;
      let sum = 0;
      for (let t = 0; t < f.roots.length; t++) {
        let node = f.roots[t];
        while (f.feature[node] >= 0)
          node = input.data[base + f.feature[node]] <= f.split[node] ? f.left[node] : f.left[node] + 1;
        sum += f.value[node];
      }
      const h = sum / f.roots.length;
      out[r] = Math.pow(2, -(this.novelAt(input.data, base) >= 0 ? 1 + h / (h + c) : h) / c);
    }
    return out;
  }

  /** The first training-constant column where the row has another value, or -1. */
  private novelAt(data: Float64Array, base: number): number {
    const cols = this.constCols;
    for (let k = 0; k < cols.length; k++) if (data[base + cols[k]] !== this.constVals[k]) return cols[k];
    return -1;
  }

  /**
   * Features ranked by how early and how sharply they isolate the row: every split on the row's
   * path credits its feature with the share of the node's training rows it cut away from the row,
   * divided by (depth + 1) so early cuts count most.
   */
  explain(input: Matrix, index: number, featureNames?: readonly string[]): Explanation {
    const f = this.model();
    checkMatrix('isolation-forest', input, this.cols);
    if (!(index >= 0 && index < input.rows)) throw new Error(`isolation-forest: row ${index} out of range`);
    const weight = new Float64Array(this.cols);
    const base = index * input.cols;
    let depthSum = 0;
    for (let t = 0; t < f.roots.length; t++) {
      let node = f.roots[t];
      let depth = 0;
      while (f.feature[node] >= 0) {
        const next = input.data[base + f.feature[node]] <= f.split[node] ? f.left[node] : f.left[node] + 1;
        weight[f.feature[node]] += (f.size[node] - f.size[next]) / f.size[node] / (depth + 1);
        node = next;
        depth++;
      }
      depthSum += f.value[node];
    }
    const novel = this.novelAt(input.data, base);
    if (novel >= 0) {
      // every column with a value training never had shares the credit, ahead of the splits
      for (let k = 0; k < this.constCols.length; k++)
        if (input.data[base + this.constCols[k]] !== this.constVals[k]) weight[this.constCols[k]] += 1e6;
      const features = rankFeatures(weight, featureNames);
      const name = featureNames?.[novel] ?? `feature ${novel}`;
      return {
        reason: `${name} has a value no training row had (${this.constVals[this.constCols.indexOf(novel)]} in all of them)`,
        features,
      };
    }
    const features = rankFeatures(weight, featureNames);
    const mean = depthSum / f.roots.length;
    const top = features[0] ? (features[0].name ?? `feature ${features[0].index}`) : 'no feature';
    return {
      reason: `isolated after ${mean.toFixed(1)} splits on average (a typical row needs ${averagePathLength(this.psi).toFixed(1)}), mostly by ${top}`,
      features,
    };
  }

  serialize(): Uint8Array {
    const f = this.model();
    const constants = this.constCols.length;
    return encodeModel({ format: FORMAT, opts: this.opts, cols: this.cols, psi: this.psi, constants }, [
      i32Tensor(f.roots),
      i32Tensor(f.feature),
      i32Tensor(f.left),
      i32Tensor(f.size),
      f64Tensor(f.split),
      f64Tensor(f.value),
      ...(constants ? [i32Tensor(this.constCols), f64Tensor(this.constVals)] : []),
    ]);
  }

  static load(bytes: Uint8Array): IsolationForestDetector {
    const who = 'isolation-forest';
    const { header, weights } = decodeModel(bytes, FORMAT, who);
    // models saved before the constant columns were kept have none (and score as before)
    const constants = header.constants === undefined ? 0 : Number(header.constants);
    if (!(Number.isInteger(constants) && constants >= 0 && weights.length === (constants ? 8 : 6)))
      throw new Error(`${who}: model file has ${weights.length} arrays, expected ${constants ? 8 : 6}`);
    const d = new IsolationForestDetector(header.opts as IsolationForestOptions);
    d.cols = Number(header.cols);
    d.psi = Number(header.psi);
    if (!(Number.isInteger(d.cols) && d.cols > 0 && Number.isInteger(d.psi) && d.psi >= 2))
      throw new Error(`${who}: model file has a broken header`);
    const roots = readI32(weights[0], who, 'roots', d.opts.trees);
    const feature = readI32(weights[1], who, 'feature');
    const n = feature.length;
    const forest: Forest = {
      roots,
      feature,
      left: readI32(weights[2], who, 'left', n),
      size: readI32(weights[3], who, 'size', n),
      split: readF64(weights[4], who, 'split', n),
      value: readF64(weights[5], who, 'value', n),
    };
    validateForest(forest, d.cols, who);
    d.forest = forest;
    if (constants) {
      d.constCols = readI32(weights[6], who, 'constant columns', constants);
      d.constVals = readF64(weights[7], who, 'constant values', constants);
      for (const c of d.constCols)
        if (!(c >= 0 && c < d.cols)) throw new Error(`${who}: model file has a broken constant column`);
    }
    return d;
  }

  private model(): Forest {
    if (!this.forest) throw new Error('isolation-forest: used before fit()');
    return this.forest;
  }
}

/** Columns with one value over every row, and that value. */
function constantColumns(x: Matrix): [Int32Array, Float64Array] {
  const cols: number[] = [];
  for (let c = 0; c < x.cols; c++) {
    const v = x.data[c];
    let constant = true;
    for (let r = 1; r < x.rows && constant; r++) constant = x.data[r * x.cols + c] === v;
    if (constant) cols.push(c);
  }
  return [Int32Array.from(cols), Float64Array.from(cols, (c) => x.data[c])];
}

/** Children always come after their parent, so traversal terminates on any file that passes. */
function validateForest(f: Forest, cols: number, who: string): void {
  const n = f.feature.length;
  for (const r of f.roots) if (!(r >= 0 && r < n)) throw new Error(`${who}: model file has a broken tree root`);
  for (let i = 0; i < n; i++) {
    const feat = f.feature[i];
    if (feat >= cols) throw new Error(`${who}: node ${i} splits on feature ${feat} of ${cols}`);
    if (feat >= 0 && !(f.left[i] > i && f.left[i] + 1 < n)) throw new Error(`${who}: node ${i} has broken children`);
    if (!(f.size[i] >= 1)) throw new Error(`${who}: node ${i} has a broken size`);
  }
}

function growForest(x: Matrix, psi: number, trees: number, rand: () => number): Forest {
  const perTree = 2 * psi - 1;
  const cap = perTree * trees;
  const f: Forest = {
    roots: new Int32Array(trees),
    feature: new Int32Array(cap).fill(-1),
    left: new Int32Array(cap),
    size: new Int32Array(cap),
    split: new Float64Array(cap),
    value: new Float64Array(cap),
  };
  const rowsAll = new Int32Array(x.rows);
  for (let i = 0; i < x.rows; i++) rowsAll[i] = i;
  const scratch = new TreeScratch(psi, x.cols);
  let next = 0;
  for (let t = 0; t < trees; t++) {
    // Partial Fisher-Yates: the first psi entries become a uniform sample without replacement.
    for (let i = 0; i < psi; i++) {
      const j = i + Math.floor(rand() * (x.rows - i));
      const tmp = rowsAll[i];
      rowsAll[i] = rowsAll[j];
      rowsAll[j] = tmp;
    }
    scratch.idx.set(rowsAll.subarray(0, psi));
    f.roots[t] = next;
    next = growTree(x, f, next, scratch, Math.ceil(Math.log2(psi)), rand);
  }
  return {
    roots: f.roots,
    feature: f.feature.slice(0, next),
    left: f.left.slice(0, next),
    size: f.size.slice(0, next),
    split: f.split.slice(0, next),
    value: f.value.slice(0, next),
  };
}

class TreeScratch {
  readonly idx: Int32Array;
  /** Stack of pending nodes: node, lo, hi, depth. */
  readonly stack: Int32Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly live: Int32Array;
  constructor(psi: number, cols: number) {
    this.idx = new Int32Array(psi);
    this.stack = new Int32Array(4 * (2 * psi + 2));
    this.min = new Float64Array(cols);
    this.max = new Float64Array(cols);
    this.live = new Int32Array(cols);
  }
}

/** Grows one tree at node index `root` over scratch.idx; returns the next free node index. */
function growTree(x: Matrix, f: Forest, root: number, s: TreeScratch, maxDepth: number, rand: () => number): number {
  const { idx, stack } = s;
  let next = root + 1;
  let sp = 0;
  stack[sp++] = root;
  stack[sp++] = 0;
  stack[sp++] = idx.length;
  stack[sp++] = 0;
  while (sp > 0) {
    const depth = stack[--sp];
    const hi = stack[--sp];
    const lo = stack[--sp];
    const node = stack[--sp];
    const n = hi - lo;
    f.size[node] = n;
    const feat = n > 1 && depth < maxDepth ? pickFeature(x, idx, lo, hi, s, rand) : -1;
    if (feat < 0) {
      f.feature[node] = -1;
      f.value[node] = depth + averagePathLength(n);
      continue;
    }
    const mn = s.min[feat];
    const mx = s.max[feat];
    let cut = mn + rand() * (mx - mn);
    if (cut >= mx) cut = mn; // rounding guard: keep both sides non-empty
    let mid = lo;
    for (let i = lo; i < hi; i++) {
      if (x.data[idx[i] * x.cols + feat] <= cut) {
        const tmp = idx[i];
        idx[i] = idx[mid];
        idx[mid++] = tmp;
      }
    }
    f.feature[node] = feat;
    f.split[node] = cut;
    f.left[node] = next;
    stack.set([next, lo, mid, depth + 1, next + 1, mid, hi, depth + 1], sp);
    sp += 8;
    next += 2;
  }
  return next;
}

/** Uniform choice among the features not constant over idx[lo..hi); -1 when all are constant. */
function pickFeature(x: Matrix, idx: Int32Array, lo: number, hi: number, s: TreeScratch, rand: () => number): number {
  const { min, max, live } = s;
  const cols = x.cols;
  min.fill(Infinity);
  max.fill(-Infinity);
  for (let i = lo; i < hi; i++) {
    const base = idx[i] * cols;
    for (let c = 0; c < cols; c++) {
      const v = x.data[base + c];
      if (v < min[c]) min[c] = v;
      if (v > max[c]) max[c] = v;
    }
  }
  let k = 0;
  for (let c = 0; c < cols; c++) if (max[c] > min[c]) live[k++] = c;
  return k === 0 ? -1 : live[Math.floor(rand() * k)];
}

/** Non-zero weights as shares of their total, largest first. */
export function rankFeatures(
  weight: Float64Array,
  names?: readonly string[],
): { index: number; name?: string; weight: number }[] {
  let total = 0;
  for (const w of weight) total += w;
  const out: { index: number; name?: string; weight: number }[] = [];
  if (!(total > 0)) return out;
  for (let i = 0; i < weight.length; i++)
    if (weight[i] > 0)
      out.push(
        names?.[i] !== undefined
          ? { index: i, name: names[i], weight: weight[i] / total }
          : { index: i, weight: weight[i] / total },
      );
  return out.sort((a, b) => b.weight - a.weight || a.index - b.index);
}
