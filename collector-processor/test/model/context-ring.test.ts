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
});
