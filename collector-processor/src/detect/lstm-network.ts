/**
 * The LSTM's TensorFlow.js network: built from the options, its weights exported as Float32 copies
 * for the scoring kernel (lstm-kernel.ts), and its own prediction (the reference the kernel matches).
 */
import { tf } from './tf-backend';
import type { LstmWeights } from './lstm-kernel';

/** The network's shape: what the detector's options and vocabulary fix. */
export interface NetworkShape {
  readonly window: number;
  readonly layers: number;
  readonly units: number;
  readonly seed: number;
  /** Templates; the input is one-hot over them plus the padding key. */
  readonly vocab: number;
  /** Output classes: the templates, plus "session end" when learned. */
  readonly classes: number;
}

/** `forLoad`: weights are set right after, so skip the (slow, warning) orthogonal initialisation. */
export function buildNetwork(o: NetworkShape, forLoad = false): tf.LayersModel {
  const model = tf.sequential();
  for (let l = 0; l < o.layers; l++) {
    model.add(
      tf.layers.lstm({
        units: o.units,
        returnSequences: l < o.layers - 1,
        ...(l === 0 ? { inputShape: [o.window, o.vocab + 1] } : {}),
        recurrentActivation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + 1 + l }),
        recurrentInitializer: forLoad ? tf.initializers.zeros() : tf.initializers.orthogonal({ seed: o.seed + 11 + l }),
      }),
    );
  }
  model.add(
    tf.layers.dense({
      units: o.classes,
      kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + 99 }),
    }),
  );
  return model;
}

/** Float32 copies of the trained weights for the kernel. */
export function exportWeights(model: tf.LayersModel, o: NetworkShape): LstmWeights {
  const data = model.getWeights().map((t) => t.dataSync() as Float32Array);
  let k = 0;
  // Inputs are one-hot keys: the kernel's embedding is the identity (zero entries are skipped).
  const d = o.vocab + 1;
  const embedding = new Float32Array(d * d);
  for (let i = 0; i < d; i++) embedding[i * d + i] = 1;
  const layers = [];
  for (let l = 0; l < o.layers; l++) {
    layers.push({
      kernel: Float32Array.from(data[k++]),
      recurrent: Float32Array.from(data[k++]),
      bias: Float32Array.from(data[k++]),
      inputDim: l === 0 ? d : o.units,
      units: o.units,
    });
  }
  return {
    embedding,
    embedDim: d,
    layers,
    denseKernel: Float32Array.from(data[k++]),
    denseBias: Float32Array.from(data[k++]),
    classes: o.classes,
  };
}

/** tfjs windowed prediction (the reference the kernel must match; batch inference). */
export function predictNetwork(model: tf.LayersModel, o: NetworkShape, windows: Int32Array, n: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.oneHot(tf.tensor2d(windows, [n, o.window], 'int32'), o.vocab + 1);
    return tf.softmax(model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}
