/**
 * Inference for a stack of dense layers over Float32Array weights exported from a trained tfjs
 * model (the Autoencoder). Scoring through tfjs costs a tensor allocation and a backend round trip
 * per call, which dominates for the few dozen features of a log record or session; this loop does
 * the same float32 math in preallocated buffers (test: it matches tfjs within 1e-4).
 */
export type DenseActivation = 'tanh' | 'relu' | 'linear';

export interface DenseLayer {
  /** [inDim, outDim] row-major (the tfjs kernel layout). */
  readonly kernel: Float32Array;
  /** [outDim]. */
  readonly bias: Float32Array;
  readonly inDim: number;
  readonly outDim: number;
  readonly activation: DenseActivation;
}

export class DenseKernel {
  private readonly buffers: Float32Array[];

  constructor(readonly layers: readonly DenseLayer[]) {
    if (layers.length === 0) throw new Error('dense kernel: no layers');
    for (let l = 1; l < layers.length; l++)
      if (layers[l].inDim !== layers[l - 1].outDim) throw new Error(`dense kernel: layer ${l} input size mismatch`);
    this.buffers = layers.map((l) => new Float32Array(l.outDim));
  }

  get inDim(): number {
    return this.layers[0].inDim;
  }

  get outDim(): number {
    return this.layers[this.layers.length - 1].outDim;
  }

  /** Output of the last layer for one input row; the returned buffer is reused by the next call. */
  forward(x: Float32Array): Float32Array {
    let input = x;
    for (let l = 0; l < this.layers.length; l++) {
      const { kernel, bias, inDim, outDim, activation } = this.layers[l];
      const out = this.buffers[l];
      out.set(bias);
      for (let i = 0; i < inDim; i++) {
        const v = input[i];
        if (v === 0) continue; // count vectors are mostly zeros before standardisation
        const row = i * outDim;
        for (let j = 0; j < outDim; j++) out[j] += v * kernel[row + j];
      }
      if (activation === 'tanh') for (let j = 0; j < outDim; j++) out[j] = Math.tanh(out[j]);
      else if (activation === 'relu') for (let j = 0; j < outDim; j++) out[j] = out[j] > 0 ? out[j] : 0;
      input = out;
    }
    return input;
  }
}
