/**
 * Thresholds of the LSTM's probability rule, fitted on the training data after the network learned
 * it: per session (the lowest record probability and the end's) or, for a log scored record by
 * record, over the records' probabilities.
 */
import type { Sequences } from './detector';
import type { LstmSessions } from './lstm-stream';
import { walkRecords } from './lstm-scoring';

export interface LstmThresholds {
  record: number;
  end: number;
}

/** What the thresholds read of the detector's options. */
export interface ThresholdOptions {
  targetFpr: number;
  maxThreshold: number;
  endMargin: number;
}

/**
 * Thresholds of the probability rule from the training sessions: per session the lowest
 * probability any of its records had, and the probability of its end; the record threshold is the
 * targetFpr-quantile of the first (at most that share of training sessions has a record below
 * it), the end threshold the same quantile of the ends times endMargin. Normal ends cluster on a
 * few probabilities while a session cut short ends far lower, so the end threshold stays an order
 * of magnitude under normal ends.
 */
export function fitSessionThresholds(
  s: LstmSessions,
  seqs: readonly Int32Array[],
  o: ThresholdOptions,
  underWay?: Uint8Array,
): LstmThresholds {
  const slot = s.open();
  const rec = new Float64Array(seqs.length);
  const ends: number[] = [];
  seqs.forEach((seq, i) => {
    let min = 1;
    for (let j = 0; j < seq.length; j++) {
      if (!s.isKnown(seq[j])) continue;
      const p = s.probNext(slot, seq[j]);
      if (p < min) min = p;
      s.advance(slot, seq[j]);
    }
    rec[i] = min;
    if (!underWay?.[i]) ends.push(s.probEnd(slot)); // a session under way has not ended
    s.reset(slot);
  });
  s.close(slot);
  const cap = o.maxThreshold;
  return {
    record: Math.min(cap, quantile(rec, o.targetFpr)),
    end: ends.length ? Math.min(cap, quantile(Float64Array.from(ends), o.targetFpr) * o.endMargin) : 0,
  };
}

/**
 * The per-record mode's rule: the targetFpr-quantile of the training records' probabilities.
 * `defaultMax` is the default maxThreshold (LSTM_DEFAULTS).
 */
export function fitRecordThreshold(
  s: LstmSessions,
  train: Sequences & { records: Int32Array },
  o: ThresholdOptions,
  defaultMax: number,
): LstmThresholds {
  const rec = new Float64Array(train.records.length);
  walkRecords(s, train, (i, slot, key) => (rec[i] = s.isKnown(key) ? s.probNext(slot, key) : 1));
  // No session ends in a log stream: the end rule never fires. The cap (the record rate) stops at one in
  // the training records: a probability a short stream could never show counts as rare, not as normal.
  const cap = Math.max(o.maxThreshold, Math.min(defaultMax, 1 / rec.length));
  return { record: Math.min(cap, quantile(rec, o.targetFpr)), end: 0 };
}

/** The value at most a `share` of `v` is under (sorts `v`). */
function quantile(v: Float64Array, share: number): number {
  return v.sort()[Math.min(v.length - 1, Math.floor(share * v.length))];
}
