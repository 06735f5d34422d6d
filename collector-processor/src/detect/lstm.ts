/**
 * DeepLog-style LSTM detector: learns next-template prediction on normal sessions (window h) and
 * flags a record whose template is not among the top-g predictions; a session is anomalous when any
 * record is. Windows before the session start are padded with a padding key, and the model also
 * learns where sessions end (an end-of-session class after the last record): DeepLog pads short
 * sessions with a key it never predicts, which flags every session that ends before h+1 records;
 * predicting the end generalises that to "the session ended where no normal session ends". A
 * template never seen in training is anomalous with reason "unseen template".
 *
 * Training runs in TensorFlow.js over merged (window, next) pairs weighted by their count, which is
 * the same objective as plain training over every window (HDFS windows repeat massively). Scoring
 * runs on LstmKernel over exported Float32Array weights, memoised per window (lstm-stream.ts).
 */
import { tf } from './tf-backend';
import type { Detector, Explanation, FitReport, Sequences } from './detector';
import { LstmKernel, type LstmWeights } from './lstm-kernel';
import { windowPairs, type WindowPairs, type WindowSpec } from './lstm-windows';
import { LstmSessions, LstmStream, type StreamModel } from './lstm-stream';
import { decodeModel, encodeModel } from './model-bytes';
import { lcg } from '../util/random';

export interface LstmOptions {
  readonly window: number;
  readonly topG: number;
  readonly layers: number;
  readonly units: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Learn an end-of-session class (session ends the model does not expect are anomalous). */
  readonly endOfSession: boolean;
  readonly seed: number;
  /**
   * Optimiser steps a fit takes at least: epochs are raised to reach it. Merged windows make an
   * epoch of a small service one or two steps, which leaves the model near uniform.
   */
  readonly minSteps: number;
}

export const LSTM_DEFAULTS: LstmOptions = {
  window: 10,
  topG: 9,
  layers: 2,
  units: 64,
  epochs: 30,
  batchSize: 128,
  learningRate: 0.005,
  endOfSession: true,
  seed: 42,
  minSteps: 300,
};

const FORMAT = 'anomalog-lstm/2';

export class LstmDetector implements Detector<Sequences> {
  readonly name = 'lstm';
  readonly opts: LstmOptions;
  private vocab = 0;
  private known = new Uint8Array(0);
  private model: tf.LayersModel | undefined;
  private sessions: LstmSessions | undefined;

  constructor(opts: Partial<LstmOptions> = {}) {
    this.opts = { ...LSTM_DEFAULTS, ...opts };
  }

  get vocabSize(): number {
    return this.vocab;
  }
  /** Output classes: the templates, plus "session end" when learned. */
  get classes(): number {
    return this.vocab + (this.opts.endOfSession ? 1 : 0);
  }
  get spec(): WindowSpec {
    return {
      h: this.opts.window,
      pad: this.vocab,
      end: this.opts.endOfSession ? this.vocab : -1,
      vocab: this.vocab,
      known: this.known,
    };
  }

  windowPairs(seqs: readonly ArrayLike<number>[]): WindowPairs {
    return windowPairs(seqs, this.spec);
  }

  /** `forLoad`: weights are set right after, so skip the (slow, warning) orthogonal initialisation. */
  private build(forLoad = false): tf.LayersModel {
    const o = this.opts;
    const model = tf.sequential();
    for (let l = 0; l < o.layers; l++) {
      model.add(
        tf.layers.lstm({
          units: o.units,
          returnSequences: l < o.layers - 1,
          ...(l === 0 ? { inputShape: [o.window, this.vocab + 1] } : {}),
          recurrentActivation: 'sigmoid',
          kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + 1 + l }),
          recurrentInitializer: forLoad
            ? tf.initializers.zeros()
            : tf.initializers.orthogonal({ seed: o.seed + 11 + l }),
        }),
      );
    }
    model.add(
      tf.layers.dense({
        units: this.classes,
        kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + 99 }),
      }),
    );
    return model;
  }

  async fit(train: Sequences, onEpoch?: (epoch: number, loss: number) => void): Promise<FitReport> {
    const t0 = performance.now();
    this.vocab = train.vocabSize;
    this.known = new Uint8Array(this.vocab);
    this.markKnown(train.seqs);
    this.model = this.build();
    const report = await this.train(train.seqs, this.opts.epochs, this.opts.learningRate, onEpoch);
    return { fitMs: performance.now() - t0, ...report };
  }

  /**
   * DeepLog's online update: further epochs on new normal sessions or on sessions a user marked as
   * false positives, starting from the current weights (no retraining from scratch). Templates
   * first seen here become known; ids ≥ the trained vocabulary cannot be learned without a refit.
   */
  async update(seqs: readonly Int32Array[], epochs = 5, learningRate = this.opts.learningRate): Promise<FitReport> {
    if (!this.model) throw new Error('lstm: update() before fit()');
    const t0 = performance.now();
    this.markKnown(seqs);
    const report = await this.train(seqs, epochs, learningRate);
    return { fitMs: performance.now() - t0, ...report };
  }

  private markKnown(seqs: readonly ArrayLike<number>[]): void {
    for (const s of seqs) for (let i = 0; i < s.length; i++) if (s[i] >= 0 && s[i] < this.vocab) this.known[s[i]] = 1;
  }

  private async train(
    seqs: readonly ArrayLike<number>[],
    epochs: number,
    learningRate: number,
    onEpoch?: (epoch: number, loss: number) => void,
  ): Promise<Record<string, number>> {
    const model = this.model!;
    const pairs = this.windowPairs(seqs);
    const o = this.opts;
    const h = o.window;
    const optimizer = tf.train.adam(learningRate);
    // Weight = count / mean count: the expected batch loss equals plain training's mean over all
    // (unmerged) windows, so merging changes the cost per epoch, not the objective.
    const meanCount = pairs.total / Math.max(1, pairs.n);
    const order = Int32Array.from({ length: pairs.n }, (_, i) => i);
    const rand = lcg(o.seed >>> 0 || 1);
    let lastLoss = NaN;
    const t0 = performance.now();
    const bx = new Int32Array(o.batchSize * h);
    const by = new Int32Array(o.batchSize);
    const bw = new Float32Array(o.batchSize);
    const batchesPerEpoch = Math.max(1, Math.ceil(pairs.n / o.batchSize));
    epochs = Math.max(epochs, Math.ceil((o.minSteps ?? 0) / batchesPerEpoch));
    for (let e = 0; e < epochs; e++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      let lossSum = 0;
      for (let b = 0; b < order.length; b += o.batchSize) {
        const n = Math.min(o.batchSize, order.length - b);
        for (let r = 0; r < n; r++) {
          const p = order[b + r];
          bx.set(pairs.x.subarray(p * h, (p + 1) * h), r * h);
          by[r] = pairs.y[p];
          bw[r] = pairs.count[p] / meanCount;
        }
        const loss = tf.tidy((): tf.Scalar => {
          const x = tf.oneHot(tf.tensor2d(bx.subarray(0, n * h), [n, h], 'int32'), this.vocab + 1);
          const y = tf.oneHot(tf.tensor1d(by.subarray(0, n), 'int32'), this.classes);
          const w = tf.tensor1d(bw.subarray(0, n));
          return optimizer.minimize(() => {
            const logits = model.apply(x, { training: true }) as tf.Tensor;
            const ce = tf.losses.softmaxCrossEntropy(y, logits, undefined, undefined, tf.Reduction.NONE);
            return tf.mean(tf.mul(ce, w)) as tf.Scalar;
          }, true)!;
        });
        lossSum += (await loss.data())[0] * n;
        loss.dispose();
      }
      lastLoss = lossSum / Math.max(1, pairs.n);
      onEpoch?.(e, lastLoss);
    }
    optimizer.dispose();
    this.refreshKernel();
    const secs = (performance.now() - t0) / 1000;
    return { epochs, windows: pairs.total, uniqueWindows: pairs.n, loss: lastLoss, epochS: epochs ? secs / epochs : 0 };
  }

  /** Rebuilds the scoring kernel from the current tfjs weights (done after every fit/update). */
  refreshKernel(): void {
    const m: StreamModel = {
      kernel: new LstmKernel(this.exportWeights()),
      h: this.opts.window,
      pad: this.vocab,
      vocab: this.vocab,
      end: this.opts.endOfSession ? this.vocab : -1,
      known: this.known,
      topG: this.opts.topG,
    };
    this.sessions = new LstmSessions(m);
  }

  /** Float32 copies of the trained weights for the kernel. */
  exportWeights(): LstmWeights {
    const o = this.opts;
    const data = this.model!.getWeights().map((t) => t.dataSync() as Float32Array);
    let k = 0;
    // Inputs are one-hot keys: the kernel's embedding is the identity (zero entries are skipped).
    const d = this.vocab + 1;
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
      classes: this.classes,
    };
  }

  /** tfjs windowed prediction (the reference the kernel must match; batch inference). */
  predictTf(windows: Int32Array, n: number): Float32Array {
    return tf.tidy(() => {
      const x = tf.oneHot(tf.tensor2d(windows, [n, this.opts.window], 'int32'), this.vocab + 1);
      return tf.softmax(this.model!.predict(x) as tf.Tensor).dataSync() as Float32Array;
    });
  }

  /** The shared streaming state: sessions as typed-array slots, predictions memoised per window. */
  streams(): LstmSessions {
    if (!this.sessions) throw new Error('lstm: not fitted');
    return this.sessions;
  }

  /** A single session's stream: `push(templateId)` → { anomalous, rank, unseen, expected }. */
  createStream(): LstmStream {
    return new LstmStream(this.streams());
  }

  /** Per-record rank of the actual key (the unseen rank for templates never trained), then the end's rank. */
  recordRanks(seq: ArrayLike<number>): Int32Array {
    const s = this.streams();
    const slot = s.open();
    const ranks = new Int32Array(seq.length + 1);
    for (let i = 0; i < seq.length; i++) ranks[i] = s.push(slot, seq[i]);
    ranks[seq.length] = s.end(slot);
    return ranks;
  }

  /** Raw score = the worst rank in the session (records and its end); anomalous when ≥ topG. */
  score(input: Sequences): Float64Array {
    const out = new Float64Array(input.seqs.length);
    const s = this.streams();
    const slot = s.open();
    input.seqs.forEach((seq, i) => {
      let worst = 0;
      for (let j = 0; j < seq.length; j++) {
        const r = s.push(slot, seq[j]);
        if (r > worst) worst = r;
      }
      const r = s.rankEnd(slot);
      out[i] = r > worst ? r : worst;
      s.reset(slot);
    });
    s.close(slot);
    return out;
  }

  isAnomalous(seq: Int32Array): boolean {
    return this.score({ seqs: [seq], vocabSize: this.vocab })[0] >= this.opts.topG;
  }

  explain(input: Sequences, index: number): Explanation {
    const seq = input.seqs[index];
    const s = this.streams();
    const slot = s.open();
    const g = this.opts.topG;
    try {
      for (let i = 0; i < seq.length; i++) {
        const rank = s.rankNext(slot, seq[i]);
        if (rank >= g) {
          const expected = s.expected(slot, g);
          if (!s.isKnown(seq[i])) return { reason: `unseen template ${seq[i]} at record ${i}`, expected };
          return { reason: `template ${seq[i]} at record ${i} was not among the top ${g} expected`, expected };
        }
        s.advance(slot, seq[i]);
      }
      if (s.rankEnd(slot) >= g) {
        return {
          reason: `the session ended after ${seq.length} records where no normal session ends`,
          expected: s.expected(slot, g),
        };
      }
      return { reason: 'every template was among the expected candidates' };
    } finally {
      s.close(slot);
    }
  }

  serialize(): Uint8Array {
    if (!this.model) throw new Error('lstm: serialize() before fit()');
    const weights = this.model.getWeights().map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
    return encodeModel({ format: FORMAT, opts: this.opts, vocab: this.vocab, known: Array.from(this.known) }, weights);
  }

  static load(bytes: Uint8Array): LstmDetector {
    const { header, weights } = decodeModel(bytes, FORMAT, 'lstm');
    const opts = header.opts as LstmOptions;
    const d = new LstmDetector(opts);
    d.vocab = Number(header.vocab);
    d.known = Uint8Array.from(header.known as number[]);
    if (!(d.vocab > 0) || d.known.length !== d.vocab) throw new Error('lstm: model file has a broken vocabulary');
    d.model = d.build(true);
    const expected = d.model.getWeights();
    if (expected.length !== weights.length) throw new Error('lstm: model file has the wrong weight count');
    d.model.setWeights(
      weights.map((w, i) => {
        if (w.shape.join() !== expected[i].shape.join()) throw new Error(`lstm: weight ${i} has the wrong shape`);
        return tf.tensor(w.data, [...w.shape]);
      }),
    );
    d.refreshKernel();
    return d;
  }
}
