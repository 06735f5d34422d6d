import { bucketCounts, scoreHeat, timeTicks } from './buckets';

const at = (ms: number) => new Date(ms).toISOString();

test('counts land in their time bucket per service and the max is the tallest stack', () => {
  const items = [
    { time: at(0), service: 'b' },
    { time: at(5), service: 'a' },
    { time: at(9), service: 'b' },
    { time: at(99), service: 'a' },
    { time: at(100), service: 'a' }, // the end of the range belongs to the last bucket
    { time: at(150), service: 'a' }, // outside the range
  ];
  const grid = bucketCounts(items, 0, 100, 10);
  expect(grid.services).toEqual(['a', 'b']);
  expect(grid.counts[0]).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
  expect(grid.counts[1]).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  expect(grid.max).toBe(3);
  expect(grid.bucketMs).toBe(10);
});

test('score heat counts per time bucket and score band, clamping scores', () => {
  const heat = scoreHeat(
    [
      { time: at(1), score: 0.95 },
      { time: at(2), score: 1.5 },
      { time: at(60), score: 0.1 },
    ],
    0,
    100,
    2,
    5,
  );
  expect(heat.cells[0]).toEqual([0, 0, 0, 0, 2]);
  expect(heat.cells[1]).toEqual([1, 0, 0, 0, 0]);
  expect(heat.max).toBe(2);
});

test('ticks span the range evenly', () => {
  expect(timeTicks(0, 100, 4)).toEqual([0, 25, 50, 75, 100]);
});
