/**
 * The DeepLog training loop in TensorFlow.js over merged (window, next) pairs weighted by their
 * count (the same objective as plain training over every window; HDFS windows repeat massively).
 *
 * With a validation set (pairs of held-out normal sessions) the loop runs until the validation loss
 * stops improving: the learning rate halves after `lrPatience` epochs without improvement, training
 * stops after `patience`, and the best epoch's weights are restored. Without one it runs a fixed
 * number of epochs (small services, online updates). Either way it stops once `budgetSeconds` of
 * training have passed (at the end of the step running then; that partial epoch is validated and
 * kept if best), so a fit's time is bounded whatever the data's size and the step counts above.
 */
import { tf } from './tf-backend';
import type { WindowPairs } from './lstm-windows';
import { lcg } from '../util/random';

export interface TrainSettings {
  /** Maximum epochs (the exact count without a validation set). */
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  /** Optimiser steps at least: epochs are raised to reach it (tiny services merge into 1–2 batches). */
  readonly minSteps: number;
  /** Epochs without validation improvement before stopping. */
  readonly patience: number;
  /** Wall-clock seconds of training at most (Infinity: no bound). */
  readonly budgetSeconds: number;
  /** Epochs without validation improvement before halving the learning rate. */
  readonly lrPatience: number;
  /** Rows per forward/backward pass (default MICRO_BATCH); the gradient is the batch's either way. */
  readonly microBatch?: number;
  /** The milliseconds clock the budget is read on (default performance.now; tests inject their own). */
  readonly clock?: () => number;
}

export interface TrainShape {
  readonly h: number;
  /** One-hot input width (vocab + padding key). */
  readonly inputs: number;
  readonly classes: number;
}

export interface TrainReport {
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly loss: number;
  readonly valLoss: number;
  readonly epochS: number;
  /** 1 when the time budget ended training, else 0. */
  readonly budgetStopped: number;
  readonly [metric: string]: number;
}

/**
 * Rows one forward and backward pass holds at once. The wasm backend keeps a pass's intermediates
 * until its tidy ends, and its memory never shrinks: a 512-row pass of the 2x64 LSTM grew it from
 * 16 to 172 MB, a 128-row pass to 48 MB. Larger batches sum their slices' gradients (trainStep).
 */
export const MICRO_BATCH = 128;

/** An improvement smaller than this share of the loss is noise, not progress. */
const MIN_REL_GAIN = 1e-3;
/**
 * A validation loss under this (mean probability of the held-out next keys above 0.999) leaves
 * nothing to learn: a deterministic workflow gets there and would otherwise train to `epochs`.
 */
const CONVERGED_LOSS = 1e-3;

export async function trainPairs(
  model: tf.LayersModel,
  pairs: WindowPairs,
  val: WindowPairs | undefined,
  s: TrainSettings,
  shape: TrainShape,
  onEpoch?: (epoch: number, loss: number, valLoss: number) => void,
): Promise<TrainReport> {
  const optimizer = tf.train.adam(s.learningRate);
  const order = Int32Array.from({ length: pairs.n }, (_, i) => i);
  const rand = lcg(s.seed >>> 0 || 1);
  const batch = new Batch(s.batchSize, shape.h);
  const batchesPerEpoch = Math.max(1, Math.ceil(pairs.n / s.batchSize));
  const epochs = val ? s.epochs : Math.max(s.epochs, Math.ceil(s.minSteps / batchesPerEpoch));
  // With a validation set the epoch count is a maximum that patience cuts short, so minSteps is
  // reached by longer epochs instead (several passes over few merged pairs, e.g. a log of 1,000
  // lines): counting patience in single steps stopped such fits after a few dozen steps, underfit.
  const passes = val ? Math.max(1, Math.ceil(s.minSteps / (s.epochs * batchesPerEpoch))) : 1;
  let best = { loss: Infinity, epoch: -1, weights: undefined as Float32Array[] | undefined };
  let loss = NaN;
  let valLoss = NaN;
  let sinceBest = 0;
  let ran = 0;
  const now = s.clock ?? (() => performance.now());
  const t0 = now();
  const deadline = t0 + s.budgetSeconds * 1000;
  let outOfTime = false;
  for (let e = 0; e < epochs && !outOfTime; e++) {
    let lossSum = 0;
    let seen = 0;
    for (let pass = 0; pass < passes && !outOfTime; pass++) {
      shuffle(order, rand);
      lossSum = 0;
      seen = 0;
      for (let b = 0; b < order.length; b += s.batchSize) {
        const n = batch.fill(pairs, order, b);
        lossSum += (await trainStep(model, optimizer, batch, n, shape, s.microBatch ?? MICRO_BATCH)) * n;
        seen += n;
        if (now() > deadline) {
          outOfTime = true;
          break;
        }
      }
    }
    ran = e + 1;
    loss = lossSum / Math.max(1, seen); // the epoch's last pass (as far as it ran)
    if (val) valLoss = evaluate(model, val, shape);
    onEpoch?.(e, loss, valLoss);
    if (!val) continue;
    if (valLoss < best.loss * (1 - MIN_REL_GAIN)) {
      best = {
        loss: valLoss,
        epoch: e,
        weights: model.getWeights().map((t) => Float32Array.from(t.dataSync() as Float32Array)),
      };
      sinceBest = 0;
      if (valLoss < CONVERGED_LOSS) break;
    } else {
      sinceBest++;
      if (sinceBest >= s.patience) break;
      // Adam reads its (TS-protected) learning rate at every step: halving it keeps the moments.
      if (sinceBest % s.lrPatience === 0) (optimizer as unknown as { learningRate: number }).learningRate /= 2;
    }
  }
  optimizer.dispose();
  if (best.weights) restore(model, best.weights);
  const secs = (now() - t0) / 1000;
  return {
    epochs: ran,
    bestEpoch: best.epoch,
    loss,
    valLoss: val ? best.loss : NaN,
    epochS: ran ? secs / ran : 0,
    budgetStopped: outOfTime ? 1 : 0,
  };
}

/**
 * One optimiser step on the batch's first `n` pairs; resolves to the batch's mean loss. The
 * gradient is summed over slices of `slice` rows, each slice's loss weighted by its share of the
 * batch: the whole batch's gradient, in the memory of one slice.
 */
async function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  batch: Batch,
  n: number,
  shape: TrainShape,
  slice: number,
): Promise<number> {
  let grads: tf.NamedTensorMap | undefined;
  let loss = 0;
  for (let from = 0; from < n; from += slice) {
    const m = Math.min(slice, n - from);
    const part = tf.tidy(() => {
      const { x, y, w } = batch.tensors(shape, m, from);
      return optimizer.computeGradients(() => tf.mul(weightedLoss(model, x, y, w, true), m / n) as tf.Scalar);
    });
    loss += (await part.value.data())[0];
    part.value.dispose();
    grads = grads ? sumInto(grads, part.grads) : part.grads;
  }
  optimizer.applyGradients(grads!);
  tf.dispose(grads);
  return loss;
}

/** `acc[k] + add[k]` for every variable, disposing both inputs. */
function sumInto(acc: tf.NamedTensorMap, add: tf.NamedTensorMap): tf.NamedTensorMap {
  for (const k of Object.keys(acc)) {
    const sum = tf.add(acc[k], add[k]);
    acc[k].dispose();
    add[k].dispose();
    acc[k] = sum;
  }
  return acc;
}

/** Count-weighted mean cross-entropy of the model on `pairs` (no training). */
export function evaluate(
  model: tf.LayersModel,
  pairs: WindowPairs,
  shape: TrainShape,
  batchSize = MICRO_BATCH,
): number {
  const batch = new Batch(batchSize, shape.h);
  const order = Int32Array.from({ length: pairs.n }, (_, i) => i);
  let sum = 0;
  for (let b = 0; b < pairs.n; b += batchSize) {
    const n = batch.fill(pairs, order, b, 1);
    sum += tf.tidy(() => {
      const { x, y, w } = batch.tensors(shape, n);
      return weightedLoss(model, x, y, w, false).dataSync()[0] * n;
    });
  }
  return sum / Math.max(1, pairs.total);
}

function weightedLoss(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, w: tf.Tensor, training: boolean): tf.Scalar {
  const logits = model.apply(x, { training }) as tf.Tensor;
  const ce = tf.losses.softmaxCrossEntropy(y, logits, undefined, undefined, tf.Reduction.NONE);
  return tf.mean(tf.mul(ce, w)) as tf.Scalar;
}

/** Reused batch buffers: windows, next keys and weights of up to `size` pairs. */
class Batch {
  private readonly x: Int32Array;
  private readonly y: Int32Array;
  private readonly w: Float32Array;

  constructor(
    readonly size: number,
    private readonly h: number,
  ) {
    this.x = new Int32Array(size * h);
    this.y = new Int32Array(size);
    this.w = new Float32Array(size);
  }

  /**
   * Copies pairs order[from..] into the buffers; returns how many. Weight = count / mean count
   * (`scale` = 1 / mean count by default), so the expected batch loss equals plain training's mean
   * over all (unmerged) windows: merging changes the cost per epoch, not the objective.
   */
  fill(pairs: WindowPairs, order: Int32Array, from: number, perCount?: number): number {
    const n = Math.min(this.size, order.length - from);
    const scale = perCount ?? pairs.n / Math.max(1, pairs.total);
    const h = this.h;
    for (let r = 0; r < n; r++) {
      const p = order[from + r];
      this.x.set(pairs.x.subarray(p * h, (p + 1) * h), r * h);
      this.y[r] = pairs.y[p];
      this.w[r] = pairs.count[p] * scale;
    }
    return n;
  }

  /** Tensors of the `n` filled pairs from position `from`. */
  tensors(shape: TrainShape, n: number, from = 0): { x: tf.Tensor; y: tf.Tensor; w: tf.Tensor } {
    const h = this.h;
    return {
      x: tf.oneHot(tf.tensor2d(this.x.subarray(from * h, (from + n) * h), [n, h], 'int32'), shape.inputs),
      y: tf.oneHot(tf.tensor1d(this.y.subarray(from, from + n), 'int32'), shape.classes),
      w: tf.tensor1d(this.w.subarray(from, from + n)),
    };
  }
}

function shuffle(order: Int32Array, rand: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

function restore(model: tf.LayersModel, weights: Float32Array[]): void {
  const current = model.getWeights();
  tf.tidy(() => model.setWeights(weights.map((w, i) => tf.tensor(w, current[i].shape))));
}
