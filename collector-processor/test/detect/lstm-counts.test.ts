import { CountBounds } from '../../src/detect/lstm-counts';

const seqs = (...s: number[][]): Int32Array[] => s.map((x) => Int32Array.from(x));

describe('LSTM per-session count bounds', () => {
  // Template 0: 3 in every session (both ends plateaus). 1: 0..2, the max reached by 3 sessions.
  // 2: a growing tail (max 4 once) — no upper bound. 3: absent from some sessions, once in 3.
  const train = seqs(
    [0, 0, 0, 1, 1, 2],
    [0, 0, 0, 1, 1, 2, 2],
    [0, 0, 0, 1, 1, 2, 2, 2, 3],
    [0, 0, 0, 2, 2, 2, 2],
    [0, 0, 0, 1, 3],
    [0, 0, 0, 1, 2, 3],
  );
  const b = CountBounds.fit(train, 5, 3);

  it('bounds a side of a count range only where enough sessions reach it exactly', () => {
    expect(b.lo[0]).toBe(3);
    expect(b.hi[0]).toBe(3);
    expect(b.lo[1]).toBe(0); // some sessions have none
    expect(b.hi[1]).toBe(2);
    expect(b.hi[2]).toBe(0xffff); // max 4 reached once: a tail, not a bound
    expect(b.lo[2]).toBe(0); // a session without it
    expect(b.hi[4]).toBe(0xffff); // never seen: the LSTM flags it as unseen
    expect(Array.from(b.tracked)).toEqual([0, 1, 3]);
    expect(b.hi[3]).toBe(1);
  });

  it('severities are > 0 exactly when a bound is crossed', () => {
    expect(b.severityOver(0, 3)).toBeLessThanOrEqual(0);
    expect(b.severityOver(0, 4)).toBeGreaterThan(0);
    expect(b.severityOver(2, 100)).toBeLessThan(0);
    // Dense counts of the tracked templates 0, 1, 3.
    expect(b.severityUnder([3, 0, 0], 0).severity).toBeLessThanOrEqual(0);
    const under = b.severityUnder([9, 9, 2, 2, 0], 2); // offset 2: counts [2, 2, 0]
    expect(under.severity).toBeGreaterThan(0);
    expect(under.key).toBe(0);
  });

  it('widens to sessions an update says are normal, and round-trips through JSON', () => {
    const w = b.widen(seqs([0, 0, 0, 0, 1, 1, 1], [0, 0]));
    expect([w.lo[0], w.hi[0], w.hi[1]]).toEqual([2, 4, 3]);
    const back = CountBounds.fromJSON(JSON.parse(JSON.stringify(b.toJSON())), 5);
    expect(Array.from(back.hi)).toEqual(Array.from(b.hi));
    expect(Array.from(back.lo)).toEqual(Array.from(b.lo));
    expect(() => CountBounds.fromJSON({ lo: [1], hi: [] }, 5)).toThrow(/broken count bounds/);
  });

  it('tracks nothing with fewer sessions than the support', () => {
    expect(CountBounds.fit(train.slice(0, 2), 5, 3).tracked.length).toBe(0);
  });
});
