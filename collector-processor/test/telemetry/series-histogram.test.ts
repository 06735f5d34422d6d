import { Histogram, Registry } from 'prom-client';
import { SeriesHistogram } from '../../src/telemetry/series-histogram';
import { toOtlp } from '../../src/telemetry/otlp-metrics';

const BUCKETS = [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];
const config = (registry: Registry) => ({
  name: 'anomalog_anomaly_score',
  help: 'Anomaly score (0..1) of scored records.',
  labelNames: ['service'] as const,
  buckets: BUCKETS,
  registers: [registry],
});

/** Scores on, between and beyond the bounds, over several services, interleaved. */
function observations(): [string, number][] {
  const out: [string, number][] = [];
  let x = 0.123456789;
  for (let i = 0; i < 3000; i++) {
    x = (x * 9301 + 0.49297) % 1;
    const v = i % 97 === 0 ? BUCKETS[i % BUCKETS.length] : i % 211 === 0 ? 1.5 : i % 307 === 0 ? -0.2 : x;
    out.push([['web', 'db', 'auth', ''][i % 4 === 3 && i % 8 !== 3 ? 2 : i % 3], v]);
  }
  return out;
}

async function scrape(registry: Registry) {
  return { text: await registry.metrics(), json: await registry.getMetricsAsJSON() };
}

describe('SeriesHistogram', () => {
  it('scrapes exactly as prom-client Histogram for the same observations', async () => {
    const a = new Registry();
    const b = new Registry();
    const want = new Histogram(config(a));
    const got = new SeriesHistogram(config(b));
    const held = new Map<string, ReturnType<typeof got.series>>();
    observations().forEach(([service, v], i) => {
      if (i % 3 === 0) want.observe({ service }, v);
      else want.labels({ service }).observe(v);
      // all three ways in: a held series, observe(labels, v), labels(...).observe(v)
      if (i % 3 === 0) got.observe({ service }, v);
      else if (i % 3 === 1) got.labels(service).observe(v);
      else {
        if (!held.has(service)) held.set(service, got.series({ service }));
        held.get(service)!.observe(v);
      }
    });
    const [x, y] = [await scrape(a), await scrape(b)];
    expect(y.text).toBe(x.text);
    expect(y.json).toStrictEqual(x.json);
    expect(toOtlp(y.json, [0, 0], [1, 0])).toStrictEqual(toOtlp(x.json, [0, 0], [1, 0]));
  });

  it('resets and removes like prom-client, and rejects what it rejects', async () => {
    const a = new Registry();
    const b = new Registry();
    const want = new Histogram(config(a));
    const got = new SeriesHistogram(config(b));
    for (const h of [want, got]) {
      h.observe({ service: 'web' }, 0.3);
      h.observe({ service: 'db' }, 0.7);
      h.remove({ service: 'web' });
      h.observe({ service: 'auth' }, 0.95);
    }
    expect((await scrape(b)).text).toBe((await scrape(a)).text);
    for (const h of [want, got]) {
      h.reset();
      h.labels('db').observe(0.2);
    }
    expect((await scrape(b)).text).toBe((await scrape(a)).text);
    for (const h of [want, got]) {
      expect(() => h.observe({ service: 'web' }, NaN)).toThrow(TypeError);
      expect(() => h.observe({ nope: 'x' } as never, 0.5)).toThrow(/not included in initial labelset/);
      expect(() => h.observe({ service: 'db', nope: 'x' } as never, 0.5)).toThrow(/not included/);
      h.observe({ service: 'auth' }, 0.4);
      h.remove('db');
    }
    expect((await scrape(b)).text).toBe((await scrape(a)).text);
  });

  it('keeps a held series across scrapes and counts into it', async () => {
    const registry = new Registry();
    const h = new SeriesHistogram(config(registry));
    const s = h.series({ service: 'web' });
    expect(h.series({ service: 'web' })).toBe(s);
    s.observe(0.05);
    s.observe(0.97);
    await scrape(registry);
    s.observe(1);
    expect(Array.from(s.counts)).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 1]);
    expect([s.count, s.sum]).toEqual([3, 0.05 + 0.97 + 1]);
  });
});
