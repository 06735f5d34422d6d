import { AfterContext, type AfterLines } from '../../src/chain/after-context';
import { ContextRing } from '../../src/model/context-ring';

const ringLimits = { lineCount: 2, afterCount: 3, maxLineChars: 100, maxBytes: 1 << 20 };

function setup(over: { lines?: number; waitMs?: number; maxPending?: number } = {}) {
  const written: AfterLines[][] = [];
  const after = new AfterContext({
    lines: over.lines ?? 3,
    waitMs: over.waitMs ?? 1000,
    maxPending: over.maxPending ?? 100,
    write: (done) => written.push(done),
  });
  return { after, written, messages: () => written.flat().map((d) => [d.id, d.lines.map((l) => l.message)]) };
}

describe('AfterContext', () => {
  it('writes an anomaly once its lines after have arrived, not before', () => {
    const { after, written, messages } = setup();
    const ring = new ContextRing(ringLimits);
    ring.push(0, 't', 'the anomaly', true);
    after.watch('a1', ring, undefined, 0);
    ring.push(1, 't', 'one', false);
    ring.push(2, 't', 'two', false);
    after.check(10);
    expect(written).toEqual([]);
    ring.push(3, 't', 'three', false);
    ring.push(4, 't', 'four', false);
    after.check(20);
    expect(messages()).toEqual([['a1', ['one', 'two', 'three']]]);
    expect(after.size).toBe(0);
  });

  it('counts only the lines of the anomaly session', () => {
    const { after, messages } = setup({ lines: 2 });
    const ring = new ContextRing(ringLimits);
    ring.push(0, 't', 'anomaly of s1', true, 's1');
    after.watch('a1', ring, 's1', 0);
    ring.push(1, 't', 'of s2', false, 's2');
    ring.push(2, 't', 'of s1', false, 's1');
    ring.push(3, 't', 'of s2 again', false, 's2');
    after.check(10);
    expect(messages()).toEqual([]);
    ring.push(4, 't', 'of s1 again', false, 's1');
    after.check(20);
    expect(messages()).toEqual([['a1', ['of s1', 'of s1 again']]]);
  });

  it('writes what came when the wait passes, an empty list when nothing came', () => {
    const { after, messages } = setup({ waitMs: 500 });
    const ring = new ContextRing(ringLimits);
    ring.push(0, 't', 'first anomaly', true);
    after.watch('a1', ring, undefined, 0);
    ring.push(1, 't', 'one', false);
    ring.push(2, 't', 'second anomaly', true);
    after.watch('a2', ring, undefined, 100);
    after.check(499);
    expect(messages()).toEqual([]);
    after.check(500);
    expect(messages()).toEqual([['a1', ['one', 'second anomaly']]]);
    after.check(600);
    expect(messages()).toEqual([
      ['a1', ['one', 'second anomaly']],
      ['a2', []],
    ]);
  });

  it('writes the oldest beyond maxPending at the next check, and all on flush', () => {
    const { after, messages } = setup({ maxPending: 2 });
    const ring = new ContextRing(ringLimits);
    for (const id of ['a1', 'a2', 'a3', 'a4']) {
      ring.push(0, 't', id, true);
      after.watch(id, ring, undefined, 0);
    }
    after.check(1);
    expect(messages().map(([id]) => id)).toEqual(['a1', 'a2']);
    expect(after.size).toBe(2);
    after.flush();
    expect(messages()).toEqual([
      ['a1', ['a2', 'a3', 'a4']],
      ['a2', ['a3', 'a4']],
      ['a3', ['a4']],
      ['a4', []],
    ]);
  });

  it('writes before the ring drops the lines after, with those still kept', () => {
    const { after, messages } = setup({ lines: 3 });
    // Room for about three lines: the anomaly's own line goes when the third after it arrives.
    const ring = new ContextRing({ lineCount: 1, afterCount: 3, maxLineChars: 100, maxBytes: 3 * 90 });
    ring.push(0, 't', 'anomaly', true, 's');
    after.watch('a1', ring, 's', 0);
    ring.push(1, 't', 'one', false, 'other');
    ring.push(2, 't', 'two', false, 'other');
    ring.push(3, 't', 'three', false, 's');
    after.check(1);
    expect(messages()).toEqual([['a1', ['three']]]);
  });

  it('waits for lines after an anomaly whose own line was too long to keep', () => {
    const { after, messages } = setup({ lines: 1 });
    const ring = new ContextRing({ lineCount: 1, afterCount: 1, maxLineChars: 1000, maxBytes: 200 });
    ring.push(0, 't', 'x'.repeat(500), true);
    after.watch('a1', ring, undefined, 0);
    after.check(1);
    expect(messages()).toEqual([]);
    ring.push(1, 't', 'next', false);
    after.check(2);
    expect(messages()).toEqual([['a1', ['next']]]);
  });

  it('watches nothing with zero lines after', () => {
    const { after } = setup({ lines: 0 });
    after.watch('a1', new ContextRing(ringLimits), undefined, 0);
    expect(after.size).toBe(0);
  });
});
