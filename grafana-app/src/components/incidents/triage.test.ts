import type { AggregateAnswer } from '@anomalog/shared';
import { gridFromAggregate } from '../charts/aggregateGrid';
import { serviceRates } from './ServiceCards';

const HOUR = 3_600_000;
const bucket = (t: number, service: string, count: number, max = 0.9) => ({
  t,
  service,
  detector: 'lof',
  count,
  p50: max,
  p90: max,
  p99: max,
  max,
});

test('the server buckets re-binned into the chart buckets per service, summed over detectors', () => {
  const answer: AggregateAnswer = {
    from: 0,
    to: 60_000,
    stepMs: 1000,
    buckets: [bucket(0, 'web', 3), { ...bucket(0, 'web', 2), detector: 'lstm' }, bucket(59_000, 'db', 7)],
  };
  const grid = gridFromAggregate(answer, 0, 60_000, 60);
  expect(grid.services).toEqual(['db', 'web']);
  expect(grid.counts[1][0]).toBe(5);
  expect(grid.counts[0][59]).toBe(7);
  expect(grid.max).toBe(7);
});

test('service rates: the last hour against the mean hour of the day before, most above usual first', () => {
  const now = 100 * HOUR;
  const answer: AggregateAnswer = {
    from: now - 25 * HOUR,
    to: now,
    stepMs: HOUR,
    buckets: [
      bucket(now - 10 * HOUR, 'web', 24),
      bucket(now - HOUR / 2, 'web', 3, 0.7),
      bucket(now - HOUR / 2, 'db', 40, 1),
    ],
  };
  expect(serviceRates(answer, now)).toEqual([
    { service: 'db', now: 40, usual: 0, peak: 1 },
    { service: 'web', now: 3, usual: 1, peak: 0.7 },
  ]);
});
