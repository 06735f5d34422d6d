import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { growingPercentFor, keepHeapHeadroom, V8_OWN_PERCENT } from '../../src/runtime/heap-headroom';

const MB = 1024 * 1024;

/** A full GC on demand (the flag exposes gc to contexts created after it). */
function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('growingPercentFor', () => {
  test('puts the next limit the headroom above a small live heap', () => {
    expect(growingPercentFor(55 * MB, 48 * MB)).toBe(88);
    expect(growingPercentFor(80 * MB, 48 * MB)).toBe(60);
  });
  test("at most doubles the heap, and leaves a large heap to V8's own factor", () => {
    expect(growingPercentFor(10 * MB, 48 * MB)).toBe(100);
    expect(growingPercentFor(0, 48 * MB)).toBe(100);
    expect(growingPercentFor(120 * MB, 48 * MB)).toBe(0);
    expect(growingPercentFor(200 * MB, 48 * MB)).toBe(0);
    expect(growingPercentFor(Math.floor((100 * 48 * MB) / V8_OWN_PERCENT) + MB, 48 * MB)).toBe(0);
  });
});

describe('keepHeapHeadroom', () => {
  test('follows the live heap after each full GC, and hands back to V8 when stopped', async () => {
    const tight = keepHeapHeadroom(1);
    // a 1 MB headroom is below V8's own factor for any heap jest runs in
    expect(tight.percent).toBe(0);
    tight.stop();

    const wide = keepHeapHeadroom(4096);
    expect(wide.percent).toBe(100);
    wide.stop();

    const headroom = keepHeapHeadroom(48);
    fullGc();
    await settle();
    expect(headroom.percent).toBe(growingPercentFor(getHeapStatistics().used_heap_size, 48 * MB));
    // 150 MB more live: past the point where V8's own factor gives the headroom
    const ballast = Array.from({ length: 150 }, () => new Array<number>(MB / 8).fill(0.5));
    fullGc();
    await settle();
    expect(getHeapStatistics().used_heap_size).toBeGreaterThan(100 * MB);
    expect(headroom.percent).toBe(0);
    expect(ballast.length).toBe(150);
    headroom.stop();
    expect(headroom.percent).toBe(0);
  });

  test('is one process-wide setting: holders share it, the largest headroom wins, the last stop hands back', () => {
    const first = keepHeapHeadroom(4096);
    const second = keepHeapHeadroom(4096);
    const small = keepHeapHeadroom(1);
    expect(small.percent).toBe(100);
    first.stop();
    first.stop(); // a second stop of the same holder changes nothing
    expect(second.percent).toBe(100);
    second.stop();
    // only the 1 MB holder is left: V8's own factor
    expect(small.percent).toBe(0);
    small.stop();
    expect(small.percent).toBe(0);
  });
});
