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
import { trainPairs } from './lstm-train';
import { CountBounds, type CountBoundsJson } from './lstm-counts';
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
   * below a threshold fitted on the training sessions (see fitThresholds); 'rank': DeepLog's rule,
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

const FORMAT = 'anomalog-lstm/2';

export class LstmDetector implements Detector<Sequences> {
  readonly name = 'lstm';
  readonly opts: LstmOptions;
  private vocab = 0;
  private known = new Uint8Array(0);
  private model: tf.LayersModel | undefined;
  private sessions: LstmSessions | undefined;
  /** Probability thresholds of the probability rule (undefined: rank rule). */
  private thresholds: { record: number; end: number } | undefined;
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

  windowPairs(seqs: readonly ArrayLike<number>[], at?: Int32Array): WindowPairs {
    return windowPairs(seqs, this.spec, at);
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

  async fit(train: Sequences, onEpoch?: (epoch: number, loss: number, valLoss: number) => void): Promise<FitReport> {
    const t0 = performance.now();
    this.vocab = train.vocabSize;
    this.known = new Uint8Array(this.vocab);
    this.markKnown(train.seqs, train.records);
    this.model = this.build();
    const { fit, val } = this.splitValidation(train);
    const report = await this.train(fit, val, this.opts.epochs, this.opts.learningRate, onEpoch);
    if (this.opts.rule !== 'probability') this.thresholds = undefined;
    else this.thresholds = train.records ? this.fitRecordThreshold(train) : this.fitThresholds(train.seqs);
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
   * Thresholds of the probability rule from the training sessions: per session the lowest
   * probability any of its records had, and the probability of its end; the record threshold is the
   * targetFpr-quantile of the first (at most that share of training sessions has a record below
   * it), the end threshold the same quantile of the ends times endMargin. Normal ends cluster on a
   * few probabilities (e.g. 0.09 and 0.13 on HDFS) while a session cut short ends at about 1e-4, so
   * the end threshold stays an order of magnitude under normal ends.
   */
  private fitThresholds(seqs: readonly Int32Array[]): { record: number; end: number } {
    const s = this.streams();
    const slot = s.open();
    const rec = new Float64Array(seqs.length);
    const end = new Float64Array(seqs.length);
    seqs.forEach((seq, i) => {
      let min = 1;
      for (let j = 0; j < seq.length; j++) {
        if (!s.isKnown(seq[j])) continue;
        const p = s.probNext(slot, seq[j]);
        if (p < min) min = p;
        s.advance(slot, seq[j]);
      }
      rec[i] = min;
      end[i] = s.probEnd(slot);
      s.reset(slot);
    });
    s.close(slot);
    const cap = this.opts.maxThreshold;
    return {
      record: Math.min(cap, this.quantile(rec)),
      end: Math.min(cap, this.quantile(end) * this.opts.endMargin),
    };
  }

  /** The per-record mode's rule: the targetFpr-quantile of the training records' probabilities. */
  private fitRecordThreshold(train: Sequences): { record: number; end: number } {
    const rec = new Float64Array(train.records!.length);
    this.walkRecords(train, (i, slot, key, s) => (rec[i] = s.isKnown(key) ? s.probNext(slot, key) : 1));
    // No session ends in a log stream: the end rule never fires. The cap (the record rate) stops at one in
    // the training records: a probability a short stream could never show counts as rare, not as normal.
    const cap = Math.max(this.opts.maxThreshold, Math.min(LSTM_DEFAULTS.maxThreshold, 1 / rec.length));
    return { record: Math.min(cap, this.quantile(rec)), end: 0 };
  }

  /** The value at most a targetFpr share of `v` is under (sorts `v`). */
  private quantile(v: Float64Array): number {
    return v.sort()[Math.min(v.length - 1, Math.floor(this.opts.targetFpr * v.length))];
  }

  /**
   * Per-record mode: walks the one sequence in order and calls `visit(row, slot, key)` before each
   * record that is a row (Sequences.records), the state holding the records before it.
   */
  private walkRecords(
    input: Sequences,
    visit: (row: number, slot: number, key: number, s: LstmSessions) => void,
    last = Infinity,
  ): void {
    const seq = input.seqs[0];
    const at = input.records!;
    const rowAt = new Int32Array(seq.length).fill(-1);
    at.forEach((p, row) => (rowAt[p] = row));
    const s = this.streams();
    const slot = s.open();
    try {
      const end = Math.min(seq.length, last + 1);
      for (let p = 0; p < end; p++) {
        if (rowAt[p] >= 0) visit(rowAt[p], slot, seq[p], s);
        s.advance(slot, seq[p]);
      }
    } finally {
      s.close(slot);
    }
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
        : { ...train, seqs: idx.map((i) => train.seqs[i]) };
    return { val: part(order.slice(0, nVal)), fit: part(order.slice(nVal)) };
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
    this.counts = this.counts?.widen(seqs);
    const report = await this.train({ seqs, vocabSize: this.vocab }, undefined, epochs, learningRate);
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
    const pairs = this.windowPairs(learn.seqs, learn.records);
    const valPairs = val && val.seqs.length > 0 ? this.windowPairs(val.seqs, val.records) : undefined;
    const shape = { h: this.opts.window, inputs: this.vocab + 1, classes: this.classes };
    const report = await trainPairs(
      this.model!,
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

  /**
   * Raw score = the session's worst severity (records and its end, see LstmSessions.severityNext):
   * above decisionCut exactly when the model's rule flags the session.
   */
  score(input: Sequences): Float64Array {
    if (input.records) {
      const rows = new Float64Array(input.records.length);
      this.walkRecords(input, (i, slot, key, s) => (rows[i] = s.severityNext(slot, key)));
      return rows;
    }
    const out = new Float64Array(input.seqs.length);
    const s = this.streams();
    const slot = s.open();
    input.seqs.forEach((seq, i) => {
      let worst = -Infinity;
      for (let j = 0; j < seq.length; j++) {
        const v = s.severityNext(slot, seq[j]);
        if (v > worst) worst = v;
        s.advance(slot, seq[j]);
      }
      const v = s.severityEnd(slot);
      out[i] = v > worst ? v : worst;
      s.reset(slot);
    });
    s.close(slot);
    return out;
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
    if (input.records) return this.explainRecord(input, index);
    const seq = input.seqs[index];
    const s = this.streams();
    const slot = s.open();
    const g = this.opts.topG;
    const why = this.thresholds
      ? (p: number) => `had probability ${p.toPrecision(2)}, below ${this.thresholds!.record.toPrecision(2)}`
      : () => `was not among the top ${g} expected`;
    try {
      for (let i = 0; i < seq.length; i++) {
        if (s.severityNext(slot, seq[i]) > 0) {
          const expected = s.expected(slot, g);
          if (!s.isKnown(seq[i])) return { reason: `unseen template ${seq[i]} at record ${i}`, expected };
          if (s.severityCount(slot, seq[i]) > 0) {
            const n = s.countOf(slot, seq[i]) + 1;
            return {
              reason: `template ${seq[i]} at record ${i} occurs ${n} times in the session, more than in any normal session (${this.counts!.hi[seq[i]]})`,
              expected,
            };
          }
          return { reason: `template ${seq[i]} at record ${i} ${why(s.probNext(slot, seq[i]))}`, expected };
        }
        s.advance(slot, seq[i]);
      }
      const under = s.countsUnder(slot);
      if (s.severityEndPredicted(slot) > 0) {
        return {
          reason: `the session ended after ${seq.length} records where no normal session ends`,
          expected: s.expected(slot, g),
        };
      }
      if (under.severity > 0) {
        return {
          reason: `the session ended with template ${under.key} ${s.countOf(slot, under.key)} times, fewer than every normal session (${this.counts!.lo[under.key]})`,
          expected: s.expected(slot, g),
        };
      }
      return { reason: 'every template was among the expected candidates' };
    } finally {
      s.close(slot);
    }
  }

  /** Per-record mode: the row's record, given the records before it in the log. */
  private explainRecord(input: Sequences, index: number): Explanation {
    const at = input.records![index];
    let out: Explanation = { reason: 'no such record' };
    const g = this.opts.topG;
    this.walkRecords(
      input,
      (row, slot, key, s) => {
        if (row !== index) return;
        const expected = s.expected(slot, g);
        const p = s.isKnown(key) ? s.probNext(slot, key) : 0;
        const t = this.thresholds?.record;
        const reason = !s.isKnown(key)
          ? `unseen template ${key} at record ${at}`
          : t !== undefined
            ? `template ${key} at record ${at} had probability ${p.toPrecision(2)} (threshold ${t.toPrecision(2)})`
            : `template ${key} at record ${at} was rank ${s.rankNext(slot, key) + 1} of the expected`;
        out = { reason, expected };
      },
      at,
    );
    return out;
  }

  serialize(): Uint8Array {
    if (!this.model) throw new Error('lstm: serialize() before fit()');
    const weights = this.model.getWeights().map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array }));
    const header = { format: FORMAT, opts: this.opts, vocab: this.vocab, known: Array.from(this.known) };
    return encodeModel(
      {
        ...header,
        ...(this.thresholds ? { thresholds: this.thresholds } : {}),
        ...(this.counts ? { counts: this.counts.toJSON() } : {}),
      },
      weights,
    );
  }

  static load(bytes: Uint8Array): LstmDetector {
    const { header, weights } = decodeModel(bytes, FORMAT, 'lstm');
    const opts = header.opts as LstmOptions;
    const d = new LstmDetector(opts);
    d.vocab = Number(header.vocab);
    d.known = Uint8Array.from(header.known as number[]);
    // Models saved before the probability rule carry no thresholds: they keep the rank rule.
    const t = header.thresholds as { record?: unknown; end?: unknown } | undefined;
    if (t && typeof t.record === 'number' && typeof t.end === 'number') d.thresholds = { record: t.record, end: t.end };
    if (!(d.vocab > 0) || d.known.length !== d.vocab) throw new Error('lstm: model file has a broken vocabulary');
    // Models saved before the count bounds have none (and keep working without them).
    if (header.counts !== undefined) d.counts = CountBounds.fromJSON(header.counts as CountBoundsJson, d.vocab);
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
