/**
 * Training of the Autoencoder's dense stack in TensorFlow.js: seeded Glorot initialisation, seeded
 * shuffles, Adam on the mean squared reconstruction error, and early stopping on a seeded
 * validation split of the (normal) training rows: training stops after `patience` epochs without a
 * relative improvement of `minDelta` in validation loss, and the best epoch's weights are kept.
 * The result is plain Float32Array weights for DenseKernel; no tfjs state outlives the call.
 */
import { tf } from './tf-backend';
import type { DenseActivation, DenseLayer } from './dense-kernel';
import { lcg } from '../util/random';

/** How the dense stack trains; the Autoencoder's options extend these. */
export interface DenseTraining {
  /** Hidden activation; the output layer is linear. */
  readonly activation: DenseActivation;
  /** Maximum epochs; early stopping usually ends sooner. */
  readonly epochs: number;
  /** Epochs without validation improvement before stopping (the best weights are restored). */
  readonly patience: number;
  /** Relative validation-loss improvement that counts as progress (1e-3 = 0.1 %). */
  readonly minDelta: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Share of the training rows held out for early stopping (none below 10 rows). */
  readonly validationSplit: number;
  readonly seed: number;
}

export interface DenseTrainSpec extends DenseTraining {
  /** Layer widths, input first: [cols, ...hidden, ...mirror, cols]. */
  readonly dims: readonly number[];
}

export interface DenseTrainResult {
  readonly layers: DenseLayer[];
  /** Epochs run (≤ spec.epochs). */
  readonly epochs: number;
  /** 1-based epoch whose weights were kept. */
  readonly bestEpoch: number;
  readonly loss: number;
  readonly valLoss: number;
  readonly stoppedEarly: boolean;
  readonly trainRows: number;
  readonly valRows: number;
  readonly epochS: number;
}

interface TfLayer {
  readonly kernel: tf.Tensor2D;
  readonly bias: tf.Tensor1D;
  readonly activation: DenseActivation;
}

/** The dense stack in tfjs ops (training, and the reference the kernel is tested against). */
export function denseTf(x: tf.Tensor2D, layers: readonly TfLayer[]): tf.Tensor2D {
  let h = x;
  for (const l of layers) {
    const z = tf.add(tf.matMul(h, l.kernel), l.bias) as tf.Tensor2D;
    h = l.activation === 'tanh' ? tf.tanh(z) : l.activation === 'relu' ? tf.relu(z) : z;
  }
  return h;
}

export function activations(spec: { dims: readonly number[]; activation: DenseActivation }): DenseActivation[] {
  return Array.from({ length: spec.dims.length - 1 }, (_, l) =>
    l < spec.dims.length - 2 ? spec.activation : 'linear',
  );
}

function shuffle(a: Int32Array, rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** Trains on `x` (rows × dims[0], already standardised) and returns the best epoch's weights. */
export async function trainDense(
  x: Float32Array,
  rows: number,
  spec: DenseTrainSpec,
  onEpoch?: (epoch: number, loss: number, valLoss: number) => void,
): Promise<DenseTrainResult> {
  const cols = spec.dims[0];
  const rand = lcg(spec.seed >>> 0 || 1);
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  shuffle(order, rand);
  const valRows = rows >= 10 ? Math.max(1, Math.round(rows * spec.validationSplit)) : 0;
  const valIdx = order.slice(0, valRows);
  const trainIdx = order.slice(valRows);
  const acts = activations(spec);
  // tidy frees the initial values; the variables (kept by the engine) survive it
  const vars = acts.map((activation, l) => ({
    kernel: tf.tidy(() =>
      tf.variable(tf.initializers.glorotUniform({ seed: spec.seed + 1 + l }).apply([spec.dims[l], spec.dims[l + 1]])),
    ) as tf.Variable<tf.Rank.R2>,
    bias: tf.tidy(() => tf.variable(tf.zeros([spec.dims[l + 1]]))) as tf.Variable<tf.Rank.R1>,
    activation,
  }));
  const varList = vars.flatMap((v) => [v.kernel, v.bias]);
  const all = tf.tensor2d(x, [rows, cols]);
  const val = valRows > 0 ? tf.tidy(() => tf.gather(all, tf.tensor1d(valIdx, 'int32'))) : undefined;
  const optimizer = tf.train.adam(spec.learningRate);
  let best = Infinity;
  let bestWeights = varList.map((v) => v.dataSync().slice() as Float32Array);
  let bestEpoch = 0;
  let wait = 0;
  let epoch = 0;
  let loss = NaN;
  const t0 = performance.now();
  try {
    while (epoch < spec.epochs) {
      shuffle(trainIdx, rand);
      loss = trainEpoch(all, trainIdx, spec.batchSize, vars, varList, optimizer);
      epoch++;
      const valLoss = val ? reconstructionLoss(val, vars) : loss;
      onEpoch?.(epoch, loss, valLoss);
      if (valLoss < best * (1 - spec.minDelta) || best === Infinity) {
        best = valLoss;
        bestWeights = varList.map((v) => v.dataSync().slice() as Float32Array);
        bestEpoch = epoch;
        wait = 0;
      } else if (++wait >= spec.patience) break;
    }
  } finally {
    optimizer.dispose();
    all.dispose();
    val?.dispose();
    for (const v of varList) v.dispose();
  }
  const layers: DenseLayer[] = acts.map((activation, l) => ({
    kernel: bestWeights[2 * l],
    bias: bestWeights[2 * l + 1],
    inDim: spec.dims[l],
    outDim: spec.dims[l + 1],
    activation,
  }));
  return {
    layers,
    epochs: epoch,
    bestEpoch,
    loss,
    valLoss: best,
    stoppedEarly: epoch < spec.epochs,
    trainRows: trainIdx.length,
    valRows,
    epochS: epoch ? (performance.now() - t0) / 1000 / epoch : 0,
  };
}

/** One pass over the shuffled training rows; returns the mean batch loss weighted by batch size. */
function trainEpoch(
  all: tf.Tensor2D,
  idx: Int32Array,
  batchSize: number,
  layers: readonly TfLayer[],
  varList: tf.Variable[],
  optimizer: tf.Optimizer,
): number {
  let sum = 0;
  for (let b = 0; b < idx.length; b += batchSize) {
    const n = Math.min(batchSize, idx.length - b);
    const cost = tf.tidy(() => {
      const xb = tf.gather(all, tf.tensor1d(idx.subarray(b, b + n), 'int32')) as tf.Tensor2D;
      return optimizer.minimize(() => tf.losses.meanSquaredError(xb, denseTf(xb, layers)) as tf.Scalar, true, varList)!;
    });
    sum += cost.dataSync()[0] * n;
    cost.dispose();
  }
  return sum / Math.max(1, idx.length);
}

function reconstructionLoss(x: tf.Tensor2D, layers: readonly TfLayer[]): number {
  const t = tf.tidy(() => tf.losses.meanSquaredError(x, denseTf(x, layers)));
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}
