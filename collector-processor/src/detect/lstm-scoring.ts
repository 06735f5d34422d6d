/**
 * The LSTM's scoring over its streaming state (LstmSessions): a session's or a record's raw score,
 * per-record ranks, and the walk over a log scored record by record.
 */
import type { Sequences } from './detector';
import type { LstmSessions } from './lstm-stream';

/**
 * Per-record mode: walks the one sequence in order and calls `visit(row, slot, key)` before each
 * record that is a row (Sequences.records), the state holding the records before it.
 */
export function walkRecords(
  s: LstmSessions,
  input: Sequences,
  visit: (row: number, slot: number, key: number, s: LstmSessions) => void,
  last = Infinity,
): void {
  const seq = input.seqs[0];
  const at = input.records;
  if (!at) throw new Error('lstm: walkRecords on sessions (no records)');
  const rowAt = new Int32Array(seq.length).fill(-1);
  at.forEach((p, row) => (rowAt[p] = row));
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
 * Raw score = the session's worst severity (records and its end, see LstmSessions.severityNext);
 * per-record mode: each row's record's severity given the records before it.
 */
export function scoreSequences(s: LstmSessions, input: Sequences): Float64Array {
  if (input.records) {
    const rows = new Float64Array(input.records.length);
    walkRecords(s, input, (i, slot, key) => (rows[i] = s.severityNext(slot, key)));
    return rows;
  }
  const out = new Float64Array(input.seqs.length);
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

/** Per-record rank of the actual key (the unseen rank for templates never trained), then the end's rank. */
export function recordRanks(s: LstmSessions, seq: ArrayLike<number>): Int32Array {
  const slot = s.open();
  const ranks = new Int32Array(seq.length + 1);
  for (let i = 0; i < seq.length; i++) ranks[i] = s.push(slot, seq[i]);
  ranks[seq.length] = s.end(slot);
  return ranks;
}
