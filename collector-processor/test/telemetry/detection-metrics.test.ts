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

test('series per service are bounded: capped by maxServices (others are "other"), names cut, stale ones removed', async () => {
  const registry = new Registry();
  const m = createDetectionMetrics(registry, undefined, undefined, { maxServices: 3, staleMs: 50 });
  const record = (name: string) => {
    const service = m.service(name);
    m.recordsScored.inc({ service, outcome: 'scored' });
    m.score.series({ service }).observe(0.5);
    m.templatesNew.inc({ service });
  };
  for (let i = 0; i < 12_000; i++) record(`svc-${i}`);
  record('x'.repeat(1024 * 1024));
  const services = async () =>
    new Set(
      (await registry.getMetricsAsJSON())
        .flatMap((metric) => metric.values)
        .map((v) => v.labels.service)
        .filter((s) => s !== undefined),
    );
  expect(await services()).toEqual(new Set(['svc-0', 'svc-1', 'svc-2', 'other']));
  expect((await registry.metrics()).length).toBeLessThan(20_000);

  await new Promise((r) => setTimeout(r, 80));
  record('svc-1'); // still active
  m.sweepStale();
  expect(await services()).toEqual(new Set(['svc-1', 'other']));
  // the freed places go to services seen from now on; a long name is cut to its first 128 characters
  record('y'.repeat(1024 * 1024));
  expect(await services()).toContain('y'.repeat(128));
});
