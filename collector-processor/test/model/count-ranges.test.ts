import { CountRanges } from '../../src/model/count-ranges';

describe('CountRanges', () => {
  // 20 training groups, 3 columns: column 0 counts 0..19, column 1 always 2, column 2 always 0
  const rows = new Float64Array(20 * 3);
  for (let r = 0; r < 20; r++) rows.set([r, 2, 0], r * 3);
  const ranges = CountRanges.fit(rows, 3);

  it('keeps each column mean and 5th/95th percentiles', () => {
    expect(Array.from(ranges.mean)).toEqual([9.5, 2, 0]);
    expect(ranges.low[0]).toBeCloseTo(0.95);
    expect(ranges.high[0]).toBeCloseTo(18.05);
    expect([ranges.low[1], ranges.high[1]]).toEqual([2, 2]);
  });

  it('lists the columns outside their range, furthest out (for the range width) first', () => {
    const got = ranges.deviations(Float64Array.from([30, 0, 3]), 8);
    expect(got.map((d) => [d.column, d.actual])).toEqual([
      [2, 3],
      [1, 0],
      [0, 30],
    ]);
    expect(got[1]).toEqual({ column: 1, actual: 0, mean: 2, low: 2, high: 2 });
    expect(ranges.deviations(Float64Array.from([5, 2, 0]), 8)).toEqual([]);
    expect(ranges.deviations(Float64Array.from([30, 0, 3]), 1)).toHaveLength(1);
  });

  it('round-trips through JSON, and refuses ranges of another width', () => {
    const again = CountRanges.fromJSON(JSON.parse(JSON.stringify(ranges)), 3)!;
    expect(again.deviations(Float64Array.from([30, 0, 3]), 8)).toEqual(
      ranges.deviations(Float64Array.from([30, 0, 3]), 8),
    );
    expect(CountRanges.fromJSON(ranges.toJSON(), 4)).toBeUndefined();
    expect(CountRanges.fromJSON(undefined, 3)).toBeUndefined();
  });
});
