/**
 * Dense Autoencoder detector: learns to reconstruct normal feature vectors through a bottleneck
 * (cols → hidden… → mirror → cols); a row it cannot reconstruct is anomalous. Raw score = mean
 * squared reconstruction error over the standardised features; explanation = the features with the
 * largest share of that error.
 *
 * Inputs are standardised internally on the training rows (the scaler is part of the model bytes),
 * because count vectors and raw record features mix scales a squared error would weigh by range.
 * Training runs in TensorFlow.js (autoencoder-train.ts, early stopping on a validation split);
 * scoring runs DenseKernel over the exported Float32Array weights, so a loaded model needs no tfjs.
 */
import type { Detector, Explanation, FitReport, Matrix } from './detector';
import { DenseKernel, type DenseLayer } from './dense-kernel';
import { activations, denseTf, trainDense, type DenseTraining } from './autoencoder-train';
import { checkMatrix, f64Tensor, readF64 } from './calibration';
import { rankFeatures } from './isolation-forest';
import { decodeModel, encodeModel, readF32, type Tensor32 } from './model-bytes';
import { initTf, tf } from './tf-backend';
import { Standardizer } from '../matrix/standardizer';

export interface AutoencoderOptions extends DenseTraining {
  /** Encoder widths; the decoder mirrors them (e.g. [32, 8] → cols-32-8-32-cols). */
  readonly hidden: readonly number[];
  /** Standardise columns on the training rows before the network (stored in the model). */
  readonly standardize: boolean;
}

export const AUTOENCODER_DEFAULTS: AutoencoderOptions = {
  hidden: [32, 8],
  activation: 'tanh',
  epochs: 50,
  patience: 5,
  minDelta: 1e-3,
  batchSize: 64,
  learningRate: 0.003,
  validationSplit: 0.1,
  standardize: true,
  seed: 42,
};

const FORMAT = 'anomalog-autoencoder/1';
const WHO = 'autoencoder';

export class AutoencoderDetector implements Detector<Matrix> {
  readonly name = 'autoencoder';
  readonly opts: AutoencoderOptions;
  private cols = 0;
  private scaler: Standardizer | undefined;
  private kernel: DenseKernel | undefined;
  /**
   * 99th percentile of the training reconstruction errors: the yardstick explanations compare a row
   * to (the median is near zero on data of repeated rows, like HDFS sessions).
   */
  private p99Error = 0;

  constructor(opts: Partial<AutoencoderOptions> = {}) {
    this.opts = { ...AUTOENCODER_DEFAULTS, ...opts };
    const o = this.opts;
    if (!(o.hidden.length >= 1 && o.hidden.every((h) => Number.isInteger(h) && h >= 1)))
      throw new Error(`${WHO}: hidden must be a non-empty list of integers >= 1`);
    if (!(Number.isInteger(o.epochs) && o.epochs >= 1)) throw new Error(`${WHO}: epochs must be an integer >= 1`);
    if (!(Number.isInteger(o.patience) && o.patience >= 1)) throw new Error(`${WHO}: patience must be an integer >= 1`);
    if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1)) throw new Error(`${WHO}: batchSize must be >= 1`);
    if (!(o.validationSplit >= 0 && o.validationSplit <= 0.5))
      throw new Error(`${WHO}: validationSplit must be in 0..0.5`);
    if (!(o.learningRate > 0 && o.minDelta >= 0)) throw new Error(`${WHO}: learningRate must be > 0, minDelta >= 0`);
    if (!['tanh', 'relu', 'linear'].includes(o.activation))
      throw new Error(`${WHO}: unknown activation ${o.activation}`);
  }

  /** Layer widths: input, encoder, mirrored decoder, output. */
  dims(cols: number): number[] {
    const h = this.opts.hidden;
    return [cols, ...h, ...h.slice(0, -1).reverse(), cols];
  }

  async fit(train: Matrix, onEpoch?: (epoch: number, loss: number, valLoss: number) => void): Promise<FitReport> {
    const t0 = performance.now();
    checkMatrix(WHO, train);
    if (train.rows < 2) throw new Error(`${WHO}: need at least 2 training rows`);
    await initTf();
    this.cols = train.cols;
    this.scaler = this.opts.standardize
      ? new Standardizer().fit(train)
      : Standardizer.fromParams(new Float64Array(train.cols), new Float64Array(train.cols).fill(1));
    const x = Float32Array.from(this.scaler.transform(train).data);
    const o = this.opts;
    const r = await trainDense(x, train.rows, { ...o, dims: this.dims(train.cols) }, onEpoch);
    this.kernel = new DenseKernel(r.layers);
    this.p99Error = quantile(this.score(train), 0.99);
    return {
      fitMs: performance.now() - t0,
      epochs: r.epochs,
      bestEpoch: r.bestEpoch,
      stoppedEarly: r.stoppedEarly ? 1 : 0,
      loss: r.loss,
      valLoss: r.valLoss,
      trainRows: r.trainRows,
      valRows: r.valRows,
      epochS: r.epochS,
    };
  }

  /** Raw score per row: mean squared reconstruction error over the standardised features. */
  score(input: Matrix): Float64Array {
    const out = new Float64Array(input.rows);
    this.eachRow(input, (r, x, y) => {
      let s = 0;
      for (let c = 0; c < x.length; c++) s += (y[c] - x[c]) ** 2;
      out[r] = s / x.length;
    });
    return out;
  }

  /** Reconstructions (standardised space) by the kernel, rows × cols; compare with predictTf. */
  reconstruct(input: Matrix): Float32Array {
    const out = new Float32Array(input.rows * input.cols);
    this.eachRow(input, (r, _x, y) => out.set(y, r * input.cols));
    return out;
  }

  /** The same reconstructions computed by tfjs on the current backend (reference and batch path). */
  predictTf(input: Matrix): Float32Array {
    const kernel = this.model();
    const x = Float32Array.from(this.scaler!.transform(input).data);
    return tf.tidy(() => {
      const layers = kernel.layers.map((l) => ({
        kernel: tf.tensor2d(l.kernel, [l.inDim, l.outDim]),
        bias: tf.tensor1d(l.bias),
        activation: l.activation,
      }));
      return denseTf(tf.tensor2d(x, [input.rows, input.cols]), layers).dataSync() as Float32Array;
    });
  }

  explain(input: Matrix, index: number, featureNames?: readonly string[]): Explanation {
    this.model();
    if (!(index >= 0 && index < input.rows)) throw new Error(`${WHO}: row ${index} out of range`);
    const row: Matrix = {
      data: input.data.subarray(index * input.cols, (index + 1) * input.cols),
      rows: 1,
      cols: input.cols,
    };
    const weight = new Float64Array(this.cols);
    let err = 0;
    let rec = new Float32Array(0);
    this.eachRow(row, (_r, x, y) => {
      for (let c = 0; c < x.length; c++) err += weight[c] = (y[c] - x[c]) ** 2;
      rec = y.slice();
    });
    err /= this.cols;
    const features = rankFeatures(weight, featureNames);
    const times =
      this.p99Error > 0 ? `, ${(err / this.p99Error).toPrecision(3)} times the training 99th percentile` : '';
    let reason = `reconstruction error ${err.toPrecision(3)}${times}`;
    const top = features[0];
    if (top) {
      const { mean, scale } = this.scaler!.params;
      const expected = rec[top.index] / scale[top.index] + mean[top.index];
      const name = top.name ?? `feature ${top.index}`;
      reason += `; worst reconstructed: ${name} = ${fmt(row.data[top.index])}, expected about ${fmt(expected)}`;
    }
    return { reason, features };
  }

  serialize(): Uint8Array {
    const kernel = this.model();
    const { mean, scale } = this.scaler!.params;
    const tensors: Tensor32[] = [f64Tensor(mean), f64Tensor(scale)];
    for (const l of kernel.layers)
      tensors.push({ shape: [l.inDim, l.outDim], data: l.kernel }, { shape: [l.outDim], data: l.bias });
    return encodeModel({ format: FORMAT, opts: this.opts, cols: this.cols, p99Error: this.p99Error }, tensors);
  }

  static load(bytes: Uint8Array): AutoencoderDetector {
    const { header, weights } = decodeModel(bytes, FORMAT, WHO);
    const d = new AutoencoderDetector(header.opts as AutoencoderOptions);
    const cols = Number(header.cols);
    const p99Error = Number(header.p99Error);
    if (!(Number.isInteger(cols) && cols > 0 && Number.isFinite(p99Error)))
      throw new Error(`${WHO}: model file has a broken header`);
    const dims = d.dims(cols);
    if (weights.length !== 2 + 2 * (dims.length - 1))
      throw new Error(`${WHO}: model file has ${weights.length} arrays, expected ${2 + 2 * (dims.length - 1)}`);
    const acts = activations({ dims, activation: d.opts.activation });
    const layers: DenseLayer[] = acts.map((activation, l) => ({
      kernel: readF32(weights[2 + 2 * l], WHO, `layer ${l} kernel`, [dims[l], dims[l + 1]]),
      bias: readF32(weights[3 + 2 * l], WHO, `layer ${l} bias`, [dims[l + 1]]),
      inDim: dims[l],
      outDim: dims[l + 1],
      activation,
    }));
    d.cols = cols;
    d.scaler = Standardizer.fromParams(readF64(weights[0], WHO, 'mean', cols), readF64(weights[1], WHO, 'scale', cols));
    d.kernel = new DenseKernel(layers);
    d.p99Error = p99Error;
    return d;
  }

  /** Standardises each row into a float32 buffer and runs the kernel: fn(row, input, reconstruction). */
  private eachRow(input: Matrix, fn: (r: number, x: Float32Array, y: Float32Array) => void): void {
    const kernel = this.model();
    checkMatrix(WHO, input, this.cols);
    const { mean, scale } = this.scaler!.params;
    const cols = this.cols;
    const x = new Float32Array(cols);
    for (let r = 0; r < input.rows; r++) {
      const off = r * cols;
      for (let c = 0; c < cols; c++) x[c] = (input.data[off + c] - mean[c]) * scale[c];
      fn(r, x, kernel.forward(x));
    }
  }

  private model(): DenseKernel {
    if (!this.kernel) throw new Error(`${WHO}: used before fit()`);
    return this.kernel;
  }
}

function quantile(a: Float64Array, q: number): number {
  if (a.length === 0) return 0;
  const s = Float64Array.from(a).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0)
    ? v.toExponential(2)
    : v.toFixed(3).replace(/\.?0+$/, '');
}
