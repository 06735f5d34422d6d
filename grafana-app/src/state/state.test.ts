import { dateTime, makeTimeRange } from '@grafana/data';
import { anomalyShareUrl, filtersFromSearch, filtersToSearch, DEFAULT_FILTERS } from './anomalyFilters';
import { shiftRange, toTimeRange, toUrlValues, zoomOut } from './timeRange';

test('URL values become filters, with defaults for missing or bad ones', () => {
  expect(filtersFromSearch({})).toEqual(DEFAULT_FILTERS);
  expect(
    filtersFromSearch({
      from: 'now-1h',
      to: 'now',
      'var-service': 'web',
      'var-detector': 'lof',
      'var-minScore': '0.6',
      anomaly: 'a7',
    }),
  ).toEqual({ from: 'now-1h', to: 'now', service: 'web', detector: 'lof', minScore: 0.6, anomaly: 'a7' });
  expect(filtersFromSearch({ 'var-minScore': '7' }).minScore).toBe(0);
});

test('filters become Grafana-style URL keys; cleared ones are removed', () => {
  expect(filtersToSearch({ service: 'web', minScore: 0.5 })).toEqual({ 'var-service': 'web', 'var-minScore': '0.5' });
  expect(filtersToSearch({ service: '', minScore: 0 })).toEqual({ 'var-service': null, 'var-minScore': null });
  expect(filtersToSearch({ anomaly: 'a1' })).toEqual({ anomaly: 'a1' });
  expect(filtersToSearch({ anomaly: '' })).toEqual({ anomaly: null });
});

test('a shared anomaly link keeps the filters, opens its drawer and fixes the range around it', () => {
  const url = new URL(
    anomalyShareUrl('https://g.example/grafana/a/anomalog-app/anomalies?from=now-6h&to=now&var-service=web', {
      id: 'a 1',
      time: '2026-01-01T00:00:00.000Z',
    }),
  );
  const at = Date.parse('2026-01-01T00:00:00.000Z');
  expect(url.pathname).toBe('/grafana/a/anomalog-app/anomalies');
  expect(filtersFromSearch(Object.fromEntries(url.searchParams))).toMatchObject({
    service: 'web',
    anomaly: 'a 1',
    from: String(at - 1800_000),
    to: String(at + 1800_000),
  });
});

test('relative ranges stay relative in the URL; absolute ones become epoch ms', () => {
  const relative = toTimeRange('now-1h', 'now');
  expect(toUrlValues(relative)).toEqual({ from: 'now-1h', to: 'now' });
  const absolute = toTimeRange('1700000000000', '1700003600000');
  expect(absolute.from.valueOf()).toBe(1700000000000);
  expect(toUrlValues(makeTimeRange(dateTime(1), dateTime(2)))).toEqual({ from: '1', to: '2' });
});

test('arrows shift by half the span, zoom doubles it', () => {
  const range = toTimeRange('1700000000000', '1700003600000');
  expect(shiftRange(range, -1)).toEqual({ from: '1699998200000', to: '1700001800000' });
  expect(shiftRange(range, 1)).toEqual({ from: '1700001800000', to: '1700005400000' });
  expect(zoomOut(range)).toEqual({ from: '1699998200000', to: '1700005400000' });
});
