/**
 * DeepLog-style LSTM detector: learns next-template prediction on normal sessions (window h) and
 * flags a record whose template is not among the top-g predictions; a session is anomalous when any
 * record is. Windows before the session start are padded with a padding key, and the model also
 * learns where sessions end (an end-of-session class after the last record): DeepLog pads short
 * sessions with a key it never predicts, which flags every session that ends before h+1 records;
 * predicting the end generalises that to "the session ended where no normal session ends". A
 * template never seen in training is anomalous with reason "unseen template". Beside the LSTM,
 * per-session template count bounds learned from the training sessions (lstm-counts.ts) flag a
 * template repeated more often, or seen less often, than in any normal session: the window of h keys
 * cannot count beyond itself.
 *
 * Training runs in TensorFlow.js (lstm-network.ts, lstm-train.ts) over merged (window, next) pairs
 * weighted by their count, which is the same objective as plain training over every window (HDFS
 * windows repeat massively). Scoring runs on LstmKernel over exported Float32Array weights, memoised
 * per window (lstm-stream.ts, lstm-scoring.ts). This file orchestrates fit and update; the
 * probability rule's thresholds (lstm-thresholds.ts), explanations (lstm-explain.ts) and the model
 * file with its earlier formats (lstm-file.ts) have their own.
 */
import { tf } from './tf-backend';
import type { Detector, Explanation, FitReport, Sequences } from './detector';
import { LstmKernel, type LstmWeights } from './lstm-kernel';
import { windowPairs, type WindowPairs, type WindowSpec } from './lstm-windows';
import { LstmSessions, LstmStream, type StreamModel } from './lstm-stream';
import { trainPairs } from './lstm-train';
import { CountBounds } from './lstm-counts';
import { buildNetwork, exportWeights, predictNetwork, type NetworkShape } from './lstm-network';
import { recordRanks, scoreSequences } from './lstm-scoring';
import { fitRecordThreshold, fitSessionThresholds, type LstmThresholds } from './lstm-thresholds';
import { explainRecord, explainSession } from './lstm-explain';
import { decodeLstmFile, encodeLstmFile } from './lstm-file';
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
   * Optimiser steps a fit aims for, within budgetSeconds: epochs (or passes per epoch) are raised
   * to reach it. Merged windows make an epoch of a small service one or two steps, which leaves the
   * model near uniform.
   */
  readonly minSteps: number;
  /** Seconds a fit or update trains at most (lstm-train.ts); the best weights so far are kept. */
  readonly budgetSeconds: number;
  /** Share of the training sessions held out for early stopping (none below 20 sessions). */
  readonly validation: number;
  /** Epochs without validation improvement before stopping (the best epoch's weights are kept). */
  readonly patience: number;
  /** Epochs without validation improvement before halving the learning rate. */
  readonly lrPatience: number;
  /**
   * 'probability' (default): a record is anomalous when its template's predicted probability is
   * below a threshold fitted on the training sessions (lstm-thresholds.ts); 'rank': DeepLog's rule,
   * outside the top g.
   */
  readonly rule: 'probability' | 'rank';
  /** Share of training sessions the probability thresholds may flag. */
  readonly targetFpr: number;
  /** The session-end threshold is this share of the training ends' targetFpr-quantile. */
  readonly endMargin: number;
  /**
   * Thresholds are at most this: in a deterministic workflow every training probability is near 1
   * and the quantile would flag any normal record predicted at 0.99 instead of 0.999.
   */
  readonly maxThreshold: number;
  /**
   * Per-session template count bounds beside the LSTM (lstm-counts.ts): a side of a template's
   * training count range is checked when at least this many training sessions reach it exactly;
   * 0 turns the count check off.
   */
  readonly countSupport: number;
}

export const LSTM_DEFAULTS: LstmOptions = {
  window: 10,
  topG: 9,
  layers: 2,
  units: 64,
  epochs: 40,
  batchSize: 512,
  learningRate: 0.01,
  endOfSession: true,
  seed: 42,
  minSteps: 300,
  budgetSeconds: 60,
  validation: 0.1,
  patience: 6,
  lrPatience: 2,
  rule: 'probability',
  targetFpr: 0.0005,
  endMargin: 0.1,
  maxThreshold: 0.01,
  countSupport: 3,
};

const MIN_VALIDATION_SESSIONS = 20;

export class LstmDetector implements Detector<Sequences> {
  readonly name = 'lstm';
  readonly opts: LstmOptions;
  private vocab = 0;
  private known = new Uint8Array(0);
  private model: tf.LayersModel | undefined;
  private sessions: LstmSessions | undefined;
  /** Probability thresholds of the probability rule (undefined: rank rule). */
  private thresholds: LstmThresholds | undefined;
  /** Per-session template count bounds (undefined: count check off). */
  private counts: CountBounds | undefined;

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

  windowPairs(seqs: readonly ArrayLike<number>[], at?: Int32Array, underWay?: Uint8Array): WindowPairs {
    return windowPairs(seqs, this.spec, at, underWay);
  }

  private get shape(): NetworkShape {
    const o = this.opts;
    return {
      window: o.window,
      layers: o.layers,
      units: o.units,
      seed: o.seed,
      vocab: this.vocab,
      classes: this.classes,
    };
  }

  private network(): tf.LayersModel {
    if (!this.model) throw new Error('lstm: not fitted');
    return this.model;
  }

  async fit(train: Sequences, onEpoch?: (epoch: number, loss: number, valLoss: number) => void): Promise<FitReport> {
    const t0 = performance.now();
    this.vocab = train.vocabSize;
    this.known = new Uint8Array(this.vocab);
    this.markKnown(train.seqs, train.records);
    this.model = buildNetwork(this.shape);
    const { fit, val } = this.splitValidation(train);
    const report = await this.train(fit, val, this.opts.epochs, this.opts.learningRate, onEpoch);
    if (this.opts.rule !== 'probability') this.thresholds = undefined;
    else {
      const records = train.records;
      this.thresholds = records
        ? fitRecordThreshold(this.streams(), { ...train, records }, this.opts, LSTM_DEFAULTS.maxThreshold)
        : fitSessionThresholds(this.streams(), train.seqs, this.opts, train.underWay);
    }
    // count bounds are per session: a log scored line by line has none
    this.counts =
      this.opts.countSupport > 0 && !train.records
        ? CountBounds.fit(train.seqs, this.vocab, this.opts.countSupport)
        : undefined;
    this.refreshKernel();
    return {
      fitMs: performance.now() - t0,
      validationSessions: val?.records?.length ?? val?.seqs.length ?? 0,
      ...report,
      ...(this.thresholds ? { recordThreshold: this.thresholds.record, endThreshold: this.thresholds.end } : {}),
    };
  }

  /**
   * A seeded share of the sessions held out for early stopping, when it is large enough to measure
   * a loss on (else every session trains, for a fixed number of epochs).
   */
  private splitValidation(train: Sequences): { fit: Sequences; val?: Sequences } {
    const at = train.records;
    const n = at ? at.length : train.seqs.length;
    const nVal = Math.floor(n * this.opts.validation);
    if (nVal < MIN_VALIDATION_SESSIONS) return { fit: train };
    const order = Array.from({ length: n }, (_, i) => i);
    const rand = lcg((this.opts.seed ^ 0x5eed) >>> 0 || 1);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const part = (idx: number[]): Sequences =>
      at
        ? { ...train, records: Int32Array.from(idx, (i) => at[i]) }
        : {
            ...train,
            seqs: idx.map((i) => train.seqs[i]),
            underWay: train.underWay && Uint8Array.from(idx, (i) => train.underWay![i]),
          };
    return { val: part(order.slice(0, nVal)), fit: part(order.slice(nVal)) };
  }

  /**
   * DeepLog's online update: further epochs on new normal sessions or on sessions a user marked as
   * false positives, starting from the current weights (no retraining from scratch). Templates
   * first seen here become known; ids ≥ the trained vocabulary cannot be learned without a refit.
   */
  async update(
    seqs: readonly Int32Array[],
    epochs = 5,
    learningRate = this.opts.learningRate,
    underWay?: Uint8Array,
  ): Promise<FitReport> {
    if (!this.model) throw new Error('lstm: update() before fit()');
    const t0 = performance.now();
    this.markKnown(seqs);
    this.counts = this.counts?.widen(seqs);
    const report = await this.train({ seqs, vocabSize: this.vocab, underWay }, undefined, epochs, learningRate);
    return { fitMs: performance.now() - t0, ...report };
  }

  /** Templates of the learned records are known (per-record mode: not those only seen as context). */
  private markKnown(seqs: readonly ArrayLike<number>[], at?: Int32Array): void {
    const mark = (key: number) => {
      if (key >= 0 && key < this.vocab) this.known[key] = 1;
    };
    if (at) for (const i of at) mark(seqs[0][i]);
    else for (const s of seqs) for (let i = 0; i < s.length; i++) mark(s[i]);
  }

  private async train(
    learn: Sequences,
    val: Sequences | undefined,
    epochs: number,
    learningRate: number,
    onEpoch?: (epoch: number, loss: number, valLoss: number) => void,
  ): Promise<Record<string, number>> {
    const pairs = this.windowPairs(learn.seqs, learn.records, learn.underWay);
    const valPairs = val && val.seqs.length > 0 ? this.windowPairs(val.seqs, val.records, val.underWay) : undefined;
    const shape = { h: this.opts.window, inputs: this.vocab + 1, classes: this.classes };
    const report = await trainPairs(
      this.network(),
      pairs,
      valPairs,
      { ...this.opts, epochs, learningRate },
      shape,
      onEpoch,
    );
    this.refreshKernel();
    return { ...report, windows: pairs.total, uniqueWindows: pairs.n };
  }

  /** Rebuilds the scoring kernel from the current tfjs weights (done after every fit/update). */
  refreshKernel(): void {
    const m: StreamModel = {
      kernel: new LstmKernel(this.exportWeights(), this.opts.window),
      h: this.opts.window,
      pad: this.vocab,
      vocab: this.vocab,
      end: this.opts.endOfSession ? this.vocab : -1,
      known: this.known,
      topG: this.opts.topG,
      thresholds: this.thresholds,
      counts: this.counts,
    };
    this.sessions = new LstmSessions(m);
  }

  /** Float32 copies of the trained weights for the kernel. */
  exportWeights(): LstmWeights {
    return exportWeights(this.network(), this.shape);
  }

  /** tfjs windowed prediction (the reference the kernel must match; batch inference). */
  predictTf(windows: Int32Array, n: number): Float32Array {
    return predictNetwork(this.network(), this.shape, windows, n);
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
    return recordRanks(this.streams(), seq);
  }

  /**
   * Raw score = the session's worst severity (records and its end, see LstmSessions.severityNext):
   * above decisionCut exactly when the model's rule flags the session.
   */
  score(input: Sequences): Float64Array {
    return scoreSequences(this.streams(), input);
  }

  /** Scores at or above this are anomalous (severity > 0; rank severities are integers). */
  get decisionCut(): number {
    return this.thresholds ? Number.MIN_VALUE : 0.5;
  }

  isAnomalous(seq: Int32Array): boolean {
    return this.flags({ seqs: [seq], vocabSize: this.vocab })[0] === 1;
  }

  /** 1 per session the model's rule flags (a record or the session end). */
  flags(input: Sequences): Uint8Array {
    const cut = this.decisionCut;
    return Uint8Array.from(this.score(input), (v) => (v >= cut ? 1 : 0));
  }

  /** The decision rule in words, for reports. */
  ruleText(): string {
    const t = this.thresholds;
    const counts = this.counts ? `, ${this.counts.tracked.length} count bounds` : '';
    if (!t) return `top-${this.opts.topG}${counts}`;
    return `p(record) < ${t.record.toPrecision(2)}, p(end) < ${t.end.toPrecision(2)}${counts}`;
  }

  /** The Float32Array inference kernel the stream runs on a window-cache miss. */
  kernel(): LstmKernel {
    return this.streams().model.kernel;
  }

  explain(input: Sequences, index: number): Explanation {
    const rule = { topG: this.opts.topG, thresholds: this.thresholds, counts: this.counts };
    const records = input.records;
    if (records) return explainRecord(this.streams(), { ...input, records }, index, rule);
    return explainSession(this.streams(), input, index, rule);
  }

  serialize(): Uint8Array {
    if (!this.model) throw new Error('lstm: serialize() before fit()');
    const weights = this.model.getWeights().map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
    return encodeLstmFile({
      opts: this.opts,
      vocab: this.vocab,
      known: this.known,
      thresholds: this.thresholds,
      counts: this.counts,
      weights,
    });
  }

  static load(bytes: Uint8Array): LstmDetector {
    const f = decodeLstmFile<LstmOptions>(bytes);
    const d = new LstmDetector(f.opts);
    d.vocab = f.vocab;
    d.known = f.known;
    d.thresholds = f.thresholds;
    d.counts = f.counts;
    const model = buildNetwork(d.shape, true);
    d.model = model;
    const expected = model.getWeights();
    if (expected.length !== f.weights.length) throw new Error('lstm: model file has the wrong weight count');
    model.setWeights(
      f.weights.map((w, i) => {
        if (w.shape.join() !== expected[i].shape.join()) throw new Error(`lstm: weight ${i} has the wrong shape`);
        return tf.tensor(w.data, [...w.shape]);
      }),
    );
    d.refreshKernel();
    return d;
  }
}
