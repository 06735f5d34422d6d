/**
 * DeepLog's online update, wired to feedback: when a user marks a sequence anomaly normal, the
 * service's LSTM is fine-tuned (LstmDetector.update, from its current weights) on that session's
 * template sequence, so the same sequence is no longer flagged. Runs in the training worker
 * (train-worker.ts), never on the stream; the manager stores the result as a new model version.
 *
 * Fine-tuning on the marked sessions alone would teach the LSTM that they are all there is (the
 * update runs at least `minSteps` optimiser steps): the probability of the normal next template
 * would fall with it. So the update rehearses: the marked sessions, repeated to weigh about
 * `share` of the service's buffered normal sessions, are mixed with those sessions. A marked
 * record then gets a probability of about `share` after its window (above the probability rule's
 * threshold, at most 0.01), the usual next template keeps the rest. While a marked session is still
 * flagged, its weight doubles and another round runs (at most `rounds`).
 */
import type { LstmDetector } from '../detect/lstm';
import type { ServiceModel } from '../model/service-model';
import { SequenceModel } from '../model/sequence-model';

export interface FineTuneOptions {
  /** Epochs per round (the update raises them to its minimum of optimiser steps). */
  epochs: number;
  /** Rounds at most while a marked session is still flagged. */
  rounds: number;
  /** Weight of the marked sessions against the rehearsed normal ones in the first round. */
  share: number;
}

export const FINE_TUNE_DEFAULTS: FineTuneOptions = { epochs: 5, rounds: 3, share: 0.05 };

export interface FineTuneResult {
  model: ServiceModel;
  /** Marked sessions learnt (the others had templates the LSTM's vocabulary lacks). */
  sessions: number;
  skipped: string[];
  metrics: Record<string, number>;
}

/** Records of `sessions` the sequence model flags, replayed as live sessions from their first record. */
export function flaggedRecords(seq: SequenceModel, sessions: readonly (readonly string[])[]): number {
  const replay = new SequenceModel(seq.lstm, seq.vocab, 1);
  let n = 0;
  sessions.forEach((s, i) => {
    const id = `\u0000replay-${i}`;
    for (const t of s) {
      const v = replay.push(id, t);
      if (v.anomalous && !v.unseen) n++;
      replay.advance(id, t);
    }
  });
  return n;
}

/**
 * Fine-tunes `model`'s LSTM in place on the marked sessions (template id sequences), rehearsing the
 * normal sessions given (options over FINE_TUNE_DEFAULTS), and returns the model. Throws when the model has no LSTM or no
 * marked session can be learnt.
 */
export async function fineTuneSequences(
  model: ServiceModel,
  marked: readonly (readonly string[])[],
  normal: readonly (readonly string[])[],
  options: Partial<FineTuneOptions> = {},
): Promise<FineTuneResult> {
  const opts: FineTuneOptions = { ...FINE_TUNE_DEFAULTS, ...options };
  const seq = model.sequence;
  if (!seq) throw new Error('the active model has no sequence model (LSTM) to fine-tune');
  const keysOf = (s: readonly string[]): Int32Array | undefined => {
    const out = new Int32Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const k = seq.vocab.get(s[i]);
      if (k === undefined) return undefined;
      out[i] = k;
    }
    return out;
  };
  const skipped: string[] = [];
  const learn: Int32Array[] = [];
  const learnIds: (readonly string[])[] = [];
  for (const s of marked) {
    const keys = s.length > 0 ? keysOf(s) : undefined;
    if (keys) {
      learn.push(keys);
      learnIds.push(s);
    } else
      skipped.push(`a marked session of ${s.length} records has templates the LSTM never saw (retrain to learn them)`);
  }
  if (learn.length === 0) throw new Error(`nothing to fine-tune on: ${skipped.join('; ')}`);
  const rehearse = normal.map(keysOf).filter((k): k is Int32Array => k !== undefined && k.length > 0);

  const lstm: LstmDetector = seq.lstm;
  const t0 = performance.now();
  const before = flaggedRecords(seq, learnIds);
  let after = before;
  let copies = Math.max(1, Math.ceil((opts.share * rehearse.length) / learn.length));
  let rounds = 0;
  do {
    const seqs: Int32Array[] = [...rehearse];
    for (let c = 0; c < copies; c++) seqs.push(...learn);
    // a marked session ends at the marked record here, not in the service: its end is not learnt
    const underWay = new Uint8Array(seqs.length).fill(1, rehearse.length);
    await lstm.update(seqs, opts.epochs, undefined, underWay);
    rounds++;
    after = flaggedRecords(seq, learnIds);
    copies *= 2;
  } while (after > 0 && rounds < opts.rounds);
  return {
    model, // its LSTM was updated in place
    sessions: learn.length,
    skipped,
    metrics: {
      lstm_update_s: (performance.now() - t0) / 1000,
      lstm_update_sessions: learn.length,
      lstm_update_rehearsed: rehearse.length,
      lstm_update_rounds: rounds,
      lstm_update_flagged_before: before,
      lstm_update_flagged_after: after,
    },
  };
}
