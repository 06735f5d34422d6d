import { Registry } from 'prom-client';
import { METRIC } from '@anomalog/shared';
import { createDetectionMetrics } from '../../src/telemetry/detection-metrics';

test('the templates and sessions gauges read their sources at each scrape', async () => {
  const registry = new Registry();
  let templates = 12;
  let sessions = 3;
  createDetectionMetrics(
    registry,
    () => templates,
    () => sessions,
  );
  const scrape = async () => (await registry.getMetricsAsJSON()).map((m) => [m.name, m.values[0]?.value]);
  expect(await scrape()).toEqual(
    expect.arrayContaining([
      [METRIC.templatesSeen, 12],
      [METRIC.sessionsOpen, 3],
    ]),
  );
  templates = 40;
  sessions = 0;
  expect(await scrape()).toEqual(
    expect.arrayContaining([
      [METRIC.templatesSeen, 40],
      [METRIC.sessionsOpen, 0],
    ]),
  );
  expect(() => createDetectionMetrics(registry)).toThrow(/already registered/);
});
