import { rowId } from '../../src/util/row-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

it('is a UUID version 7 whose first 48 bits are the creation time in milliseconds', () => {
  const ms = Date.UTC(2026, 11, 7, 15, 30, 0, 123);
  const id = rowId(ms);
  expect(id).toMatch(UUID_V7);
  expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms);
  expect(rowId(0).slice(0, 13)).toBe('00000000-0000');
  expect(rowId(2 ** 48 - 1).slice(0, 13)).toBe('ffffffff-ffff');
});

it('sorts by creation time as text, and ids of one millisecond differ', () => {
  const times = [1, 255, 256, 2 ** 32 - 1, 2 ** 32, 1_765_000_000_000, 1_765_000_000_001, 2 ** 47];
  const ids = times.map((t) => rowId(t));
  expect([...ids].sort()).toEqual(ids);
  const same = new Set(Array.from({ length: 5000 }, () => rowId(1_765_000_000_000)));
  expect(same.size).toBe(5000);
  for (const id of same) expect(id).toMatch(UUID_V7);
});
