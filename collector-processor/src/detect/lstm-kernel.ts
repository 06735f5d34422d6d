/**
 * Inference kernel for the DeepLog model over Float32Array weights exported from the trained tfjs
 * model: embedding -> stacked LSTM cells (tfjs gate order i, f, c, o; sigmoid recurrent activation,
 * tanh activation) -> dense -> softmax. Preallocated buffers: no allocation per step.
 */
export interface LstmLayerWeights {
  /** [inputDim, 4*units] row-major (tfjs kernel). */
  readonly kernel: Float32Array;
  /** [units, 4*units] row-major. */
  readonly recurrent: Float32Array;
  /** [4*units]. */
  readonly bias: Float32Array;
  readonly inputDim: number;
  readonly units: number;
}

export interface LstmWeights {
  /** [vocab+1, embedDim] (last row = padding key). */
  readonly embedding: Float32Array;
  readonly embedDim: number;
  readonly layers: readonly LstmLayerWeights[];
  /** [lastUnits, classes] row-major. */
  readonly denseKernel: Float32Array;
  readonly denseBias: Float32Array;
  readonly classes: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export class LstmKernel {
  private readonly h: Float32Array[];
  private readonly c: Float32Array[];
  private readonly gates: Float32Array[];
  readonly probs: Float32Array;

  constructor(readonly w: LstmWeights) {
    this.h = w.layers.map((l) => new Float32Array(l.units));
    this.c = w.layers.map((l) => new Float32Array(l.units));
    this.gates = w.layers.map((l) => new Float32Array(4 * l.units));
    this.probs = new Float32Array(w.classes);
  }

  reset(): void {
    for (const a of this.h) a.fill(0);
    for (const a of this.c) a.fill(0);
  }

  /** Advances the state by one key. */
  step(key: number): void {
    const { w } = this;
    let input = w.embedding.subarray(key * w.embedDim, (key + 1) * w.embedDim);
    for (let li = 0; li < w.layers.length; li++) {
      const layer = w.layers[li];
      const u = layer.units;
      const g = this.gates[li];
      const h = this.h[li];
      const c = this.c[li];
      const n4 = 4 * u;
      g.set(layer.bias);
      for (let i = 0; i < layer.inputDim; i++) {
        const x = input[i];
        if (x === 0) continue;
        const row = i * n4;
        for (let j = 0; j < n4; j++) g[j] += x * layer.kernel[row + j];
      }
      for (let i = 0; i < u; i++) {
        const x = h[i];
        if (x === 0) continue;
        const row = i * n4;
        for (let j = 0; j < n4; j++) g[j] += x * layer.recurrent[row + j];
      }
      for (let j = 0; j < u; j++) {
        const ig = sigmoid(g[j]);
        const fg = sigmoid(g[u + j]);
        const cc = Math.tanh(g[2 * u + j]);
        const og = sigmoid(g[3 * u + j]);
        const cn = fg * c[j] + ig * cc;
        c[j] = cn;
        h[j] = og * Math.tanh(cn);
      }
      input = h;
    }
  }

  /** Softmax over the dense output of the last layer's state, into `this.probs`. */
  predict(): Float32Array {
    const { w, probs } = this;
    const h = this.h[this.h.length - 1];
    probs.set(w.denseBias);
    for (let i = 0; i < h.length; i++) {
      const x = h[i];
      const row = i * w.classes;
      for (let j = 0; j < w.classes; j++) probs[j] += x * w.denseKernel[row + j];
    }
    let max = -Infinity;
    for (let j = 0; j < w.classes; j++) if (probs[j] > max) max = probs[j];
    let sum = 0;
    for (let j = 0; j < w.classes; j++) {
      probs[j] = Math.exp(probs[j] - max);
      sum += probs[j];
    }
    for (let j = 0; j < w.classes; j++) probs[j] /= sum;
    return probs;
  }

  /** Next-key distribution after a window of keys, from the zero state (DeepLog's windowed prediction). */
  predictWindow(keys: ArrayLike<number>, from = 0, to = keys.length): Float32Array {
    this.reset();
    for (let i = from; i < to; i++) this.step(keys[i]);
    return this.predict();
  }
}

/** 0-based rank of `key` in `probs` (how many keys are more probable). */
export function rankOf(probs: Float32Array, key: number): number {
  const p = probs[key];
  let rank = 0;
  for (let j = 0; j < probs.length; j++) if (probs[j] > p) rank++;
  return rank;
}
