/**
 * Why the LSTM flagged a session or a record, in words, with the templates it expected instead.
 */
import type { Explanation, Sequences } from './detector';
import type { CountBounds } from './lstm-counts';
import type { LstmSessions } from './lstm-stream';
import { walkRecords } from './lstm-scoring';
import type { LstmThresholds } from './lstm-thresholds';

/** The rule the explanation names: top-g, or the probability thresholds, and the count bounds. */
export interface ExplainRule {
  topG: number;
  thresholds: LstmThresholds | undefined;
  counts: CountBounds | undefined;
}

/** The first record (or the end) of session `index` that the rule flags, and why. */
export function explainSession(s: LstmSessions, input: Sequences, index: number, rule: ExplainRule): Explanation {
  const seq = input.seqs[index];
  const slot = s.open();
  const g = rule.topG;
  const t = rule.thresholds;
  const why = t
    ? (p: number) => `had probability ${p.toPrecision(2)}, below ${t.record.toPrecision(2)}`
    : () => `was not among the top ${g} expected`;
  try {
    for (let i = 0; i < seq.length; i++) {
      if (s.severityNext(slot, seq[i]) > 0) {
        const expected = s.expected(slot, g);
        if (!s.isKnown(seq[i])) return { reason: `unseen template ${seq[i]} at record ${i}`, expected };
        if (rule.counts && s.severityCount(slot, seq[i]) > 0) {
          const n = s.countOf(slot, seq[i]) + 1;
          return {
            reason: `template ${seq[i]} at record ${i} occurs ${n} times in the session, more than in any normal session (${rule.counts.hi[seq[i]]})`,
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
    if (rule.counts && under.severity > 0) {
      return {
        reason: `the session ended with template ${under.key} ${s.countOf(slot, under.key)} times, fewer than every normal session (${rule.counts.lo[under.key]})`,
        expected: s.expected(slot, g),
      };
    }
    return { reason: 'every template was among the expected candidates' };
  } finally {
    s.close(slot);
  }
}

/** Per-record mode: the row's record, given the records before it in the log. */
export function explainRecord(
  s: LstmSessions,
  input: Sequences & { records: Int32Array },
  index: number,
  rule: ExplainRule,
): Explanation {
  const at = input.records[index];
  let out: Explanation = { reason: 'no such record' };
  const g = rule.topG;
  walkRecords(
    s,
    input,
    (row, slot, key) => {
      if (row !== index) return;
      const expected = s.expected(slot, g);
      const p = s.isKnown(key) ? s.probNext(slot, key) : 0;
      const t = rule.thresholds?.record;
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
