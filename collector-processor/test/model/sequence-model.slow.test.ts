/**
 * The live LSTM and the sessions already under way when a model starts scoring: it takes their
 * windows from the records before it (the training buffer), judges a session it cannot know the
 * start of only once its window holds h of its records, and training learns no end for a session
 * still under way at the end of the buffer.
 */
import { initTf } from '../../src/detect/tf-backend';
import { LstmDetector } from '../../src/detect/lstm';
import { windowPairs } from '../../src/detect/lstm-windows';
import { SequenceModel, type EarlierRecords } from '../../src/model/sequence-model';
import { RecordBuffer } from '../../src/training/record-buffer';

// Trains a small LSTM (TF.js): the slow lane.
jest.setTimeout(120_000);

/** Sessions 0, (1, 2) one to three times, 3 over six template ids (4 and 5 never seen). */
function normalSessions(n: number): Int32Array[] {
  return Array.from({ length: n }, (_, i) => {
    const s = [0];
    for (let l = 0; l <= i % 3; l++) s.push(1, 2);
    s.push(3);
    return Int32Array.from(s);
  });
}

const H = 4;
const IDLE_MS = 60_000;
/** Earlier records, given oldest first. */
interface Earlier {
  sessionId: string;
  templateId: string;
  timeMs: number;
}
function earlierOf(records: Earlier[]): EarlierRecords {
  return {
    forEachNewestFirst(visit) {
      for (let i = records.length - 1; i >= 0; i--)
        if (!visit(records[i].sessionId, records[i].templateId, records[i].timeMs)) return;
    },
  };
}

const vocab = new Map(Array.from({ length: 6 }, (_, k) => [`t${k}`, k] as [string, number]));

describe('SequenceModel with sessions under way', () => {
  let det: LstmDetector;
  beforeAll(async () => {
    await initTf(() => undefined);
    det = new LstmDetector({ window: H, topG: 2, layers: 1, units: 8, epochs: 60, batchSize: 64, learningRate: 0.05 });
    await det.fit({ seqs: normalSessions(60), vocabSize: 6 });
  });

  /** Pushes the templates of one session, returns which records were flagged. */
  function flags(m: SequenceModel, session: string, keys: number[], fromMs: number): boolean[] {
    return keys.map((k, i) => {
      const v = m.push(session, `t${k}`, fromMs + i * 1000, IDLE_MS);
      m.advance(session, `t${k}`);
      return v.anomalous;
    });
  }

  it('a session that starts the wrong way is flagged at its first record (the baseline)', () => {
    const m = new SequenceModel(det, vocab, 100);
    m.startAfter(earlierOf([{ sessionId: 'other', templateId: 't0', timeMs: 0 }]), IDLE_MS);
    expect(flags(m, 'late', [1, 2, 3], 10 * IDLE_MS)[0]).toBe(true);
  });

  it('a session begun in the buffer is judged on its buffered history', () => {
    const m = new SequenceModel(det, vocab, 100);
    const earlier: Earlier[] = [
      { sessionId: 'first', templateId: 't0', timeMs: 0 },
      { sessionId: 's', templateId: 't0', timeMs: 2 * IDLE_MS },
      { sessionId: 's', templateId: 't1', timeMs: 2 * IDLE_MS + 1 },
    ];
    m.startAfter(earlierOf(earlier), IDLE_MS);
    // 2 follows 0 1: expected; 0 after 0 1 2 never happens: flagged at once (s is not cut)
    expect(flags(m, 's', [2, 0], 2 * IDLE_MS + 2)).toEqual([false, true]);
  });

  it('a session that may have begun before the buffer is judged once its window holds h records', () => {
    const m = new SequenceModel(det, vocab, 100);
    m.startAfter(earlierOf([{ sessionId: 'cut', templateId: 't2', timeMs: 0 }]), IDLE_MS);
    // 1 2 after a lone 2 would be a wrong start; the 5th record (window full) is judged: 0 is flagged
    expect(flags(m, 'cut', [1, 2, 1, 0], 1000)).toEqual([false, false, false, true]);
  });

  it('takes up only the sessions open at the newest earlier record', () => {
    const m = new SequenceModel(det, vocab, 100);
    const earlier: Earlier[] = [
      { sessionId: 'long-gone', templateId: 't0', timeMs: 0 },
      { sessionId: 'open', templateId: 't0', timeMs: 5 * IDLE_MS },
      { sessionId: 'open', templateId: 't1', timeMs: 5 * IDLE_MS + 1 },
    ];
    m.startAfter(earlierOf(earlier), IDLE_MS);
    expect(m.openSessions).toBe(1);
  });

  it('closes each session one inactivity period after its last record, whatever the order they were touched in', () => {
    const m = new SequenceModel(det, vocab, 100);
    const at = (id: string, ms: number) => {
      m.push(id, 't0', ms, IDLE_MS);
      m.advance(id, 't0');
      return m.openSessions;
    };
    expect([at('a', 1), at('b', 10_000), at('a', 20_000)]).toEqual([1, 2, 2]);
    expect(at('c', 10_000 + IDLE_MS + 1)).toBe(2); // b closed, a still open
    expect(at('c', 20_000 + IDLE_MS - 1)).toBe(2);
    expect(at('d', 20_000 + IDLE_MS + 1)).toBe(2); // a closed
    expect(at('e', 30 * IDLE_MS)).toBe(1); // every other one closed
  });

  it('a restored model (no earlier records) takes sessions first seen within one inactivity period as cut', () => {
    const m = new SequenceModel(det, vocab, 100);
    expect(flags(m, 'under-way', [2, 3], 0)).toEqual([false, false]);
    expect(flags(m, 'new', [2, 3], 2 * IDLE_MS)[0]).toBe(true);
  });

  it('training learns no end for a session under way at the end of the buffer', () => {
    const spec = { h: H, pad: 6, end: 6, vocab: 6 };
    const s = [Int32Array.from([0, 1, 2, 3])];
    const ends = (underWay?: Uint8Array) =>
      Array.from(windowPairs(s, spec, undefined, underWay).y).filter((y) => y === spec.end).length;
    expect(ends()).toBe(1);
    expect(ends(Uint8Array.of(1))).toBe(0);
  });

  it('the buffer tells which sessions may still be under way', () => {
    const b = new RecordBuffer(10);
    const add = (sessionId: string | undefined, timeMs: number) =>
      b.push({ templateId: 't0', severityNumber: 9, tokens: 1, timeMs, sessionId });
    add('done', 0);
    add('open', 1000);
    add('done', 2000);
    add(undefined, 70_000);
    add('open', 65_000);
    expect(b.sessions().length).toBe(2);
    const { sessions, underWay } = b.sessionsUnderWay(IDLE_MS);
    expect(sessions).toEqual(b.sessions());
    expect(Array.from(underWay)).toEqual([0, 1]);
    const newestFirst: string[] = [];
    b.forEachNewestFirst((id) => newestFirst.push(id) < 3);
    expect(newestFirst).toEqual(['open', 'done', 'open']);
  });
});
