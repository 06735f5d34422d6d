/**
 * Detection quality of anomaly scores against 0/1 labels (1 = anomaly). Threshold metrics count
 * `score > threshold` as flagged; ROC-AUC is the Mann-Whitney rank statistic (ties count half);
 * PR-AUC is average precision as scikit-learn computes it (no interpolation).
 */

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface ThresholdMetrics extends Confusion {
  precision: number;
  recall: number;
  f1: number;
  fpr: number;
}

export function confusion(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Confusion {
  checkSameLength(scores, labels);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const flagged = scores[i] > threshold;
    if (labels[i]) {
      if (flagged) c.tp++;
      else c.fn++;
    } else if (flagged) c.fp++;
    else c.tn++;
  }
  return c;
}

/** Precision/recall/F1/FPR; an empty denominator gives 0 (nothing flagged → precision 0). */
export function fromConfusion(c: Confusion): ThresholdMetrics {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  return { ...c, precision, recall, f1: f1Of(precision, recall), fpr: ratio(c.fp, c.fp + c.tn) };
}

export function thresholdMetrics(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): ThresholdMetrics {
  return fromConfusion(confusion(scores, labels, threshold));
}

export function f1Of(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/**
 * The best F1 any score that is a function of the row can reach: rows with identical features get
 * one score, so the best a detector can do is flag whole groups of identical test rows, the purest
 * first. A reference figure computed WITH the test labels (a ceiling, never a threshold): it shows
 * when a goal is above what the features can separate (hdfs-100k: identical count vectors for
 * normal and anomalous blocks). `keys[i]` identifies row i's features; optional weights as in
 * averagePrecision.
 */
export function f1Ceiling(keys: readonly string[], labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
  checkSameLength(keys, labels);
  const groups = new Map<string, { pos: number; neg: number }>();
  let posTotal = 0;
  for (let i = 0; i < keys.length; i++) {
    const w = weights ? weights[i] : 1;
    let g = groups.get(keys[i]);
    if (!g) groups.set(keys[i], (g = { pos: 0, neg: 0 }));
    if (labels[i]) {
      g.pos += w;
      posTotal += w;
    } else g.neg += w;
  }
  // taking groups by falling purity visits the F1-optimal set (a prefix of that order)
  const order = [...groups.values()].sort((a, b) => b.pos / (b.pos + b.neg) - a.pos / (a.pos + a.neg));
  let tp = 0;
  let fp = 0;
  let best = 0;
  for (const g of order) {
    tp += g.pos;
    fp += g.neg;
    best = Math.max(best, f1Of(ratio(tp, tp + fp), ratio(tp, posTotal)));
  }
  return best;
}

/** Probability that a random anomaly outscores a random normal, ties half; NaN without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkSameLength(scores, labels);
  const order = sortedOrder(scores);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    // a run of tied scores shares the average rank (1-based)
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]]) {
        pos++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const neg = order.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Average precision: Σ (R_k − R_{k−1}) · P_k over distinct score thresholds, highest first.
 * Optional per-row weights estimate it at another class ratio (hdfs-deeplog's protocol).
 */
export function averagePrecision(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  const curve = prCurve(scores, labels, weights);
  let ap = 0;
  let lastRecall = 0;
  for (const [recall, precision] of curve) {
    ap += (recall - lastRecall) * precision;
    lastRecall = recall;
  }
  return curve.length === 0 ? NaN : ap;
}

/** [recall, precision] per distinct threshold, highest threshold first. */
export function prCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
): [number, number][] {
  const w = (i: number): number => (weights ? weights[i] : 1);
  return sweep(scores, labels, w, (tp, fp, posTotal) => [ratio(tp, posTotal), ratio(tp, tp + fp)]);
}

/** [fpr, tpr] per distinct threshold, starting at (0, 0). */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): [number, number][] {
  const pts = sweep(
    scores,
    labels,
    () => 1,
    (tp, fp, posTotal, negTotal) => [ratio(fp, negTotal), ratio(tp, posTotal)],
  );
  return [[0, 0], ...pts];
}

/** At most `n` points of a curve, evenly spaced by index, last point kept (for the API / UI). */
export function thin(points: [number, number][], n = 100): [number, number][] {
  if (points.length <= n) return points.map(([a, b]) => [round(a), round(b)]);
  const out: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    const [a, b] = points[Math.round((k * (points.length - 1)) / (n - 1))];
    out.push([round(a), round(b)]);
  }
  return out;
}

/** Walk thresholds from the highest score down, emitting one point per distinct score. */
function sweep(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  w: (i: number) => number,
  point: (tp: number, fp: number, posTotal: number, negTotal: number) => [number, number],
): [number, number][] {
  checkSameLength(scores, labels);
  const order = sortedOrder(scores).reverse();
  let posTotal = 0;
  let negTotal = 0;
  for (let i = 0; i < order.length; i++) {
    if (labels[i]) posTotal += w(i);
    else negTotal += w(i);
  }
  if (posTotal === 0) return [];
  const out: [number, number][] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (labels[i]) tp += w(i);
    else fp += w(i);
    if (k + 1 === order.length || scores[order[k + 1]] !== scores[i]) out.push(point(tp, fp, posTotal, negTotal));
  }
  return out;
}

/** Indexes sorted by ascending score (NaN scores are treated as the lowest). */
function sortedOrder(scores: ArrayLike<number>): Uint32Array {
  const key = Float64Array.from({ length: scores.length }, (_, i) => (Number.isNaN(scores[i]) ? -Infinity : scores[i]));
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => key[a] - key[b] || a - b);
  return order;
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new Error(`scores (${a.length}) and labels (${b.length}) differ in length`);
}
