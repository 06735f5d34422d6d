/**
 * DeepLog-style LSTM detector: learns next-template prediction on normal sessions (window h) and
 * flags a record whose template is not among the top-g predictions; a session is anomalous when any
 * record is. Sessions shorter than h are left-padded with a padding key, as DeepLog does. A template
 * id the model never saw in training is anomalous with reason "unseen template".
 *
 * Training runs in TensorFlow.js over deduplicated (window, next) pairs weighted by their count
 * (HDFS windows repeat massively). Scoring runs on LstmKernel over the exported Float32Array weights.
 * Windowed equivalence: every prediction is computed from the zero state over exactly the last h keys
 * (a ring of h keys per session), so streaming and batch predictions equal tfjs' windowed prediction.
 */
import { tf } from './tf-backend';
import type { Detector, Explanation, FitReport, Sequences } from './detector';
import { LstmKernel, rankOf, type LstmWeights } from './lstm-kernel';

export interface LstmOptions {
  readonly window: number;
  readonly topG: number;
  readonly layers: number;
  readonly units: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
}

export const LSTM_DEFAULTS: LstmOptions = {
  window: 10,
  topG: 9,
  layers: 2,
  units: 64,
  epochs: 30,
  batchSize: 256,
  learningRate: 0.005,
  seed: 42,
};

interface Pairs {
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly w: Float32Array;
  readonly count: number;
}

export class LstmDetector implements Detector<Sequences> {
  readonly name = 'lstm';
  readonly opts: LstmOptions;
  private vocab = 0;
  private model: tf.LayersModel | undefined;
  private kernel: LstmKernel | undefined;

  constructor(opts: Partial<LstmOptions> = {}) {
    this.opts = { ...LSTM_DEFAULTS, ...opts };
  }

  get vocabSize(): number {
    return this.vocab;
  }
  private get pad(): number {
    return this.vocab;
  }

  /** Dedupes (left-padded window, next key) pairs of all sessions, weight = count. */
  windowPairs(seqs: readonly Int32Array[]): Pairs {
    const h = this.opts.window;
    const seen = new Map<string, number>();
    const xs: number[] = [];
    const ys: number[] = [];
    const ws: number[] = [];
    const win = new Int32Array(h);
    for (const s of seqs) {
      for (let i = 0; i < s.length; i++) {
        if (s[i] >= this.vocab) continue;
        for (let k = 0; k < h; k++) {
          const at = i - h + k;
          win[k] = at < 0 ? this.pad : Math.min(s[at], this.pad);
        }
        const key = `${win.join(',')}>${s[i]}`;
        const idx = seen.get(key);
        if (idx !== undefined) ws[idx]++;
        else {
          seen.set(key, ys.length);
          for (let k = 0; k < h; k++) xs.push(win[k]);
          ys.push(s[i]);
          ws.push(1);
        }
      }
    }
    return { x: Int32Array.from(xs), y: Int32Array.from(ys), w: Float32Array.from(ws), count: ys.length };
  }

  private build(): tf.LayersModel {
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
          recurrentInitializer: tf.initializers.orthogonal({ seed: o.seed + 11 + l }),
        }),
      );
    }
    model.add(
      tf.layers.dense({
        units: this.vocab,
        kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + 99 }),
      }),
    );
    return model;
  }

  async fit(train: Sequences): Promise<FitReport> {
    const t0 = performance.now();
    this.vocab = train.vocabSize;
    this.model = this.build();
    const report = await this.train(train.seqs, this.opts.epochs);
    return { fitMs: performance.now() - t0, ...report };
  }

  /** DeepLog's online update: more epochs on new normal sessions / false positives, weights kept. */
  async update(seqs: readonly Int32Array[], epochs = 3): Promise<FitReport> {
    if (!this.model) throw new Error('lstm: update() before fit()');
    const t0 = performance.now();
    const report = await this.train(seqs, epochs);
    return { fitMs: performance.now() - t0, ...report };
  }

  private async train(seqs: readonly Int32Array[], epochs: number): Promise<Record<string, number>> {
    const model = this.model!;
    const pairs = this.windowPairs(seqs);
    const o = this.opts;
    const optimizer = tf.train.adam(o.learningRate);
    const order = Array.from({ length: pairs.count }, (_, i) => i);
    let rng = o.seed >>> 0 || 1;
    const rand = (): number => (rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    let lastLoss = NaN;
    const t0 = performance.now();
    for (let e = 0; e < epochs; e++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      let lossSum = 0;
      for (let b = 0; b < order.length; b += o.batchSize) {
        const idx = order.slice(b, b + o.batchSize);
        const bx = new Int32Array(idx.length * o.window);
        const by = new Int32Array(idx.length);
        const bw = new Float32Array(idx.length);
        idx.forEach((p, r) => {
          bx.set(pairs.x.subarray(p * o.window, (p + 1) * o.window), r * o.window);
          by[r] = pairs.y[p];
          bw[r] = pairs.w[p];
        });
        const loss: tf.Scalar = tf.tidy((): tf.Scalar => {
          const x = tf.oneHot(tf.tensor2d(bx, [idx.length, o.window], 'int32'), this.vocab + 1);
          const y = tf.oneHot(tf.tensor1d(by, 'int32'), this.vocab);
          const w = tf.tensor1d(bw);
          // Weight = log(1+count): frequent windows matter more, without drowning rare normal paths.
          const lw = tf.log1p(w);
          return optimizer.minimize(() => {
            const logits = model.apply(x, { training: true }) as tf.Tensor;
            const ce = tf.losses.softmaxCrossEntropy(y, logits, undefined, undefined, tf.Reduction.NONE);
            return tf.sum(tf.mul(ce, lw)).div(tf.sum(lw)) as tf.Scalar;
          }, true)!;
        });
        lossSum += (await loss.data())[0] * idx.length;
        loss.dispose();
      }
      lastLoss = lossSum / Math.max(1, pairs.count);
    }
    optimizer.dispose();
    this.kernel = new LstmKernel(this.exportWeights());
    const secs = (performance.now() - t0) / 1000;
    return { epochs, windows: pairs.count, loss: lastLoss, epochS: epochs ? secs / epochs : 0 };
  }

  /** Float32 copies of the trained weights for the kernel. */
  exportWeights(): LstmWeights {
    const model = this.model!;
    const o = this.opts;
    const data = model.getWeights().map((t) => t.dataSync() as Float32Array);
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
      classes: this.vocab,
    };
  }

  /** tfjs windowed prediction (reference for the kernel; batch). */
  predictTf(windows: Int32Array, n: number): Float32Array {
    return tf.tidy(() => {
      const x = tf.oneHot(tf.tensor2d(windows, [n, this.opts.window], 'int32'), this.vocab + 1);
      return tf.softmax(this.model!.predict(x) as tf.Tensor).dataSync() as Float32Array;
    });
  }

  private requireKernel(): LstmKernel {
    if (!this.kernel) throw new Error('lstm: not fitted');
    return this.kernel;
  }

  /** Per-record rank of the actual key (vocab = unseen template). */
  recordRanks(seq: Int32Array): Int32Array {
    const stream = this.stream();
    const ranks = new Int32Array(seq.length);
    for (let i = 0; i < seq.length; i++) ranks[i] = stream.next(seq[i]);
    return ranks;
  }

  /** Raw score = the worst rank in the session; anomalous when score >= topG. */
  score(input: Sequences): Float64Array {
    const out = new Float64Array(input.seqs.length);
    input.seqs.forEach((s, i) => {
      const ranks = this.recordRanks(s);
      let worst = 0;
      for (const r of ranks) if (r > worst) worst = r;
      out[i] = worst;
    });
    return out;
  }

  isAnomalous(seq: Int32Array): boolean {
    return this.score({ seqs: [seq], vocabSize: this.vocab })[0] >= this.opts.topG;
  }

  explain(input: Sequences, index: number): Explanation {
    const seq = input.seqs[index];
    const ranks = this.recordRanks(seq);
    let at = -1;
    for (let i = 0; i < ranks.length; i++)
      if (ranks[i] >= this.opts.topG) {
        at = i;
        break;
      }
    if (at < 0) return { reason: 'every template was among the expected candidates' };
    const probs = this.windowProbs(seq, at);
    const expected = Array.from(probs, (p, t) => ({ templateId: t, probability: p }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, this.opts.topG);
    const reason =
      seq[at] >= this.vocab
        ? `unseen template ${seq[at]} at record ${at}`
        : `template ${seq[at]} at record ${at} was not among the top ${this.opts.topG} expected`;
    return { reason: seq[at] >= this.vocab ? `unseen template: ${reason}` : reason, expected };
  }

  private windowProbs(seq: Int32Array, at: number): Float32Array {
    const h = this.opts.window;
    const win = new Int32Array(h);
    for (let k = 0; k < h; k++) {
      const p = at - h + k;
      win[k] = p < 0 ? this.pad : Math.min(seq[p], this.pad);
    }
    return Float32Array.from(this.requireKernel().predictWindow(win));
  }

  /** A per-session streaming scorer. */
  stream(): LstmStream {
    return new LstmStream(this.requireKernel(), this.opts.window, this.vocab);
  }

  serialize(): Uint8Array {
    const w = this.exportWeights();
    const arr = (a: Float32Array): number[] => Array.from(a);
    const json = {
      format: 'anomalog-lstm/1',
      opts: this.opts,
      vocab: this.vocab,
      weights: this.model!.getWeights().map((t) => ({ shape: t.shape, data: arr(t.dataSync() as Float32Array) })),
      check: w.denseBias.length,
    };
    return new TextEncoder().encode(JSON.stringify(json));
  }

  static load(bytes: Uint8Array): LstmDetector {
    let json: {
      format: string;
      opts: LstmOptions;
      vocab: number;
      weights: { shape: number[]; data: number[] }[];
    };
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new Error(`lstm: model file is not valid JSON (${(e as Error).message})`);
    }
    if (json?.format !== 'anomalog-lstm/1') throw new Error('lstm: not an anomalog-lstm/1 model');
    const d = new LstmDetector(json.opts);
    d.vocab = json.vocab;
    d.model = d.build();
    const expected = d.model.getWeights();
    if (expected.length !== json.weights.length) throw new Error('lstm: model file has the wrong weight count');
    d.model.setWeights(
      json.weights.map((w, i) => {
        if (w.shape.join() !== expected[i].shape.join()) throw new Error(`lstm: weight ${i} has the wrong shape`);
        return tf.tensor(w.data, w.shape);
      }),
    );
    d.kernel = new LstmKernel(d.exportWeights());
    return d;
  }
}

/**
 * One session's streaming state: a ring of the last h keys. Each record costs one windowed kernel
 * prediction (h cell steps from the zero state) — exactly DeepLog's windowed semantics.
 */
export class LstmStream {
  private readonly ring: Int32Array;
  private readonly win: Int32Array;
  private seen = 0;

  constructor(
    private readonly kernel: LstmKernel,
    private readonly h: number,
    private readonly vocab: number,
  ) {
    this.ring = new Int32Array(h).fill(vocab);
    this.win = new Int32Array(h);
  }

  /** Rank of `key` among the predictions from the previous h keys; vocab when unseen. */
  next(key: number): number {
    const h = this.h;
    let rank: number;
    if (key < 0 || key >= this.vocab) rank = this.vocab;
    else {
      for (let k = 0; k < h; k++) this.win[k] = this.ring[(this.seen + k) % h];
      rank = rankOf(this.kernel.predictWindow(this.win), key);
    }
    this.ring[this.seen % h] = Math.min(Math.max(key, 0), this.vocab);
    this.seen++;
    return rank;
  }
}
