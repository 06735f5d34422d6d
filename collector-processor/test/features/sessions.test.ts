import { SessionTracker, type ClosedSession, type SessionOptions } from '../../src/features/sessions';

function tracker(opts: Partial<SessionOptions> & Pick<SessionOptions, 'kind'>) {
  const closed: ClosedSession[] = [];
  const t = new SessionTracker(opts, (s) => closed.push(s));
  return { t, closed };
}

describe('SessionTracker', () => {
  test('regex sessions: every distinct match of a line, templates in order, closed on inactivity', () => {
    const { t, closed } = tracker({ kind: 'regex', regex: 'blk_-?\\d+', inactivityMs: 1000 });
    t.add({ service: 's', template: 1, timeMs: 0, message: 'Receiving blk_1 from x' });
    t.add({ service: 's', template: 2, timeMs: 10, message: 'delete blk_1 blk_-2 blk_1' });
    t.add({ service: 's', template: 3, timeMs: 20, message: 'no block here' });
    expect(t.openCount).toBe(2);
    expect(t.snapshotStats().unkeyed).toBe(1);
    t.advance(1009);
    expect(closed).toEqual([]); // both were last active at 10
    t.advance(1010);
    expect(closed.map((s) => [s.key, [...s.templates], s.reason])).toEqual([
      ['blk_1', [1, 2], 'inactive'],
      ['blk_-2', [2], 'inactive'],
    ]);
    expect(t.snapshotStats()).toMatchObject({ open: 0, bytes: 0, opened: 2, closedInactive: 2 });
  });

  test('each session closes one inactivity period after its own last record, whatever the order they were touched in', () => {
    const { t, closed } = tracker({ kind: 'attribute', attribute: 'id', inactivityMs: 1000 });
    const at = (id: string, timeMs: number) => {
      t.add({ service: 's', template: 0, timeMs, attributes: { id } });
      return closed.map((c) => c.key);
    };
    expect([at('a', 0), at('b', 100), at('a', 200)]).toEqual([[], [], []]);
    expect(at('c', 1100)).toEqual(['b']);
    expect(at('c', 1199)).toEqual(['b']);
    expect(at('d', 1200)).toEqual(['b', 'a']);
    t.advance(5000);
    expect(closed.map((c) => c.key)).toEqual(['b', 'a', 'c', 'd']);
  });

  test('size limit closes a session; the same key then opens a new one', () => {
    const { t, closed } = tracker({ kind: 'trace', inactivityMs: 1e9, maxEvents: 3 });
    for (let i = 0; i < 7; i++) t.add({ service: 's', template: i, timeMs: i, traceId: 'abc' });
    expect(closed.map((s) => [...s.templates])).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(closed.every((s) => s.reason === 'size')).toBe(true);
    t.flush();
    expect(closed[2]).toMatchObject({ key: 'abc', reason: 'flush', firstMs: 6, lastMs: 6 });
    expect([...closed[2].templates]).toEqual([6]);
  });

  test('open sessions are bounded: the least recently active is evicted and counted', () => {
    const { t, closed } = tracker({ kind: 'attribute', attribute: 'user', inactivityMs: 1e9, maxOpen: 2 });
    t.add({ service: 's', template: 0, timeMs: 0, attributes: { user: 'a' } });
    t.add({ service: 's', template: 0, timeMs: 1, attributes: { user: 'b' } });
    t.add({ service: 's', template: 1, timeMs: 2, attributes: { user: 'a' } }); // a is now the most recent
    t.add({ service: 's', template: 0, timeMs: 3, attributes: { user: 'c' } });
    expect(closed.map((s) => [s.key, s.reason])).toEqual([['b', 'evicted']]);
    expect(t.snapshotStats()).toMatchObject({ open: 2, evicted: 1, opened: 3 });
  });

  test('memory is counted, grows with long sessions and bounds the open set', () => {
    const { t, closed } = tracker({ kind: 'trace', inactivityMs: 1e9, maxOpen: 1000 });
    t.add({ service: 's', template: 0, timeMs: 0, traceId: 'x' });
    const one = t.snapshotStats().bytes;
    expect(one).toBeGreaterThan(32);
    for (let i = 1; i < 100; i++) t.add({ service: 's', template: i, timeMs: i, traceId: 'x' });
    expect(t.snapshotStats().bytes).toBeGreaterThan(one + 4 * 90);
    t.flush();
    expect([...closed[0].templates]).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(t.snapshotStats().bytes).toBe(0);

    const bounded = tracker({ kind: 'trace', inactivityMs: 1e9, maxBytes: one * 3 + 100 });
    for (let i = 0; i < 10; i++) bounded.t.add({ service: 's', template: 0, timeMs: i, traceId: `t${i}` });
    expect(bounded.t.openCount).toBe(3);
    expect(bounded.t.snapshotStats().evicted).toBe(7);
  });

  test('sessions are per service', () => {
    const { t, closed } = tracker({ kind: 'trace', inactivityMs: 1e9 });
    t.add({ service: 'a', template: 0, timeMs: 0, traceId: 'same' });
    t.add({ service: 'b', template: 1, timeMs: 0, traceId: 'same' });
    t.flush();
    expect(closed.map((s) => [s.service, [...s.templates]])).toEqual([
      ['a', [0]],
      ['b', [1]],
    ]);
  });

  test('fixed windows per service close when time passes their end', () => {
    const { t, closed } = tracker({ kind: 'window', windowMs: 100 });
    t.add({ service: 's', template: 0, timeMs: 10 });
    t.add({ service: 's', template: 1, timeMs: 99 });
    t.add({ service: 's', template: 2, timeMs: 100 }); // next window; the first has ended
    expect(closed.map((s) => [s.key, [...s.templates], s.reason])).toEqual([['window:0', [0, 1], 'window']]);
    t.advance(250);
    expect(closed.map((s) => s.key)).toEqual(['window:0', 'window:100']);
  });

  test('windows of many services close at their own ends', () => {
    const { t, closed } = tracker({ kind: 'window', windowMs: 100 });
    for (let i = 0; i < 50; i++) t.add({ service: `svc${i}`, template: i, timeMs: i * 10 });
    // at t = 490 the windows [0, 100) … [300, 400) of services 0..39 have ended
    expect(closed).toHaveLength(40);
    expect(new Set(closed.map((s) => s.service)).size).toBe(40);
    t.advance(10_000);
    expect(closed).toHaveLength(50);
    expect(t.snapshotStats()).toMatchObject({ open: 0, closedWindow: 50, bytes: 0 });
  });

  test('sliding windows: a record is in windowMs / slideMs windows', () => {
    const { t, closed } = tracker({ kind: 'window', windowMs: 100, slideMs: 50 });
    t.add({ service: 's', template: 7, timeMs: 120 });
    t.add({ service: 's', template: 8, timeMs: 160 });
    t.flush();
    const byKey = Object.fromEntries(closed.map((s) => [s.key, [...s.templates]]));
    expect(byKey).toEqual({ 'window:100': [7, 8], 'window:50': [7], 'window:150': [8] });
  });

  test('rejects configurations that cannot work', () => {
    expect(() => new SessionTracker({ kind: 'regex' }, () => {})).toThrow(/regex/);
    expect(() => new SessionTracker({ kind: 'attribute' }, () => {})).toThrow(/attribute/);
    expect(() => new SessionTracker({ kind: 'window', windowMs: 10, slideMs: 20 }, () => {})).toThrow(/slideMs/);
  });
});
