import { ContextRing } from '../../src/model/context-ring';

const limits = { lineCount: 10, maxLineChars: 100, maxBytes: 4096 };

describe('ContextRing', () => {
  it('gives the last lines oldest first, only the session ones when asked', () => {
    const ring = new ContextRing(limits);
    for (let i = 0; i < 5; i++) ring.push(i * 1000, `t${i}`, `line ${i}`, i === 3, i % 2 ? 'a' : 'b');
    expect(ring.lines().map((l) => l.message)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    expect(ring.lines('a').map((l) => l.message)).toEqual(['line 1', 'line 3']);
    expect(ring.lines('a')[1].isAnomaly).toBe(true);
  });

  it("gives a window's own lines: those timed within it, the latest lineCount of them", () => {
    const ring = new ContextRing({ ...limits, lineCount: 2 });
    for (let i = 0; i < 6; i++) ring.push(i * 1000, 't', `line ${i}`, false);
    expect(ring.linesBetween(1000, 3000).map((l) => l.message)).toEqual(['line 2', 'line 3']);
    expect(ring.linesBetween(10_000, 20_000)).toEqual([]);
  });

  it('cuts long lines to maxLineChars', () => {
    const ring = new ContextRing(limits);
    ring.push(0, 't', 'x'.repeat(1_000_000), false);
    expect(ring.lines()[0].message).toBe('x'.repeat(100));
  });

  it('keeps its bytes under maxBytes, dropping the oldest lines first', () => {
    const ring = new ContextRing(limits);
    for (let i = 0; i < 1000; i++) {
      ring.push(i, 't', `${i} `.padEnd(500, 'y'), false);
      expect(ring.bytes).toBeLessThanOrEqual(limits.maxBytes);
    }
    const lines = ring.lines();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[lines.length - 1].message.startsWith('999 ')).toBe(true);
  });

  it('keeps nothing with zero context lines', () => {
    const ring = new ContextRing({ ...limits, lineCount: 0 });
    ring.push(0, 't', 'a', false);
    expect(ring.lines()).toEqual([]);
    expect(ring.bytes).toBe(0);
  });

  it('numbers its lines, so the lines after one are read by its sequence number, session ones only when asked', () => {
    const ring = new ContextRing({ ...limits, lineCount: 2, afterCount: 3 });
    for (let i = 0; i < 3; i++) ring.push(i, 't', `before ${i}`, false, 'a');
    const from = ring.nextSeq;
    expect(from).toBe(3);
    for (let i = 0; i < 5; i++) ring.push(10 + i, 't', `after ${i}`, false, i % 2 ? 'b' : 'a');
    expect(ring.linesAfter(from, 3).map((l) => l.message)).toEqual(['after 0', 'after 1', 'after 2']);
    expect(ring.linesAfter(from, 3, 'a').map((l) => l.message)).toEqual(['after 0', 'after 2', 'after 4']);
    expect([ring.countAfter(from, 3), ring.countAfter(from, 10, 'b'), ring.countAfter(from + 4, 3, 'b')]).toEqual([
      3, 2, 0,
    ]);
    expect(ring.lines().map((l) => l.message)).toEqual(['after 3', 'after 4']);
  });

  it('keeps lines for the lines after alone (no lines before), and counts lines too long to keep', () => {
    const ring = new ContextRing({ lineCount: 0, afterCount: 2, maxLineChars: 100, maxBytes: 300 });
    ring.push(0, 't', 'one', false);
    expect(ring.lines()).toEqual([]);
    expect(ring.linesAfter(0, 2).map((l) => l.message)).toEqual(['one']);
    // A line whose cost passes maxBytes empties the ring and is not kept, but is numbered.
    ring.push(1, 't'.repeat(200), 'two', false);
    expect(ring.oldestSeq).toBe(2);
    expect(ring.nextSeq).toBe(2);
    ring.push(2, 't', 'three', false);
    expect(ring.linesAfter(0, 2).map((l) => l.message)).toEqual(['three']);
  });
});
