import { buildScenario, ANOMALY_KINDS } from '../../src/demo/scenario';
import { DEMO_SERVICES } from '../../src/demo/services';
import { formatSummary, runDemo } from '../../src/demo/run';

// This suite runs the demo service and its trainings: slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(120_000);

const base = {
  durationMs: 60_000,
  rate: 100,
  services: DEMO_SERVICES,
  anomalies: ANOMALY_KINDS,
  warmupShare: 0.4,
  seed: 7,
};

describe('demo scenario', () => {
  test('is reproducible from its seed and honours rate and duration', () => {
    const a = buildScenario(base);
    const b = buildScenario(base);
    expect(a).toEqual(b);
    expect(a.records.length).toBeGreaterThanOrEqual(6000);
    expect(Math.max(...a.records.map((r) => r.atMs))).toBeLessThan(61_000);
    expect(new Set(a.records.map((r) => r.service))).toEqual(new Set(['storage', 'web', 'worker']));
  });

  test('injects every kind after the warm-up only, and marks their records', () => {
    const { records, injections } = buildScenario(base);
    expect(new Set(injections.map((i) => i.kind))).toEqual(new Set(ANOMALY_KINDS));
    for (const i of injections) expect(i.atMs).toBeGreaterThanOrEqual(24_000);
    for (const i of injections) {
      const own = records.filter((r) => r.sessionId === i.sessionId);
      expect(own.every((r) => r.injected === i.kind)).toBe(true);
      if (i.kind === 'burst') expect(own.length).toBeGreaterThan(30);
      if (i.kind === 'unseen') expect(own.some((r) => r.severity === 'ERROR')).toBe(true);
    }
    expect(records.filter((r) => r.injected).length).toBeLessThan(records.length * 0.05);
  });

  test('no anomalies requested: none injected', () => {
    expect(buildScenario({ ...base, anomalies: [] }).injections).toEqual([]);
  });
});

describe('demo run over real OTLP', () => {
  test('every record sent by the SDK comes back through the in-process processor', async () => {
    const lines: string[] = [];
    const summary = await runDemo({ ...base, durationMs: 1500, rate: 200, print: (l) => lines.push(l) });
    expect(summary.sent).toBeGreaterThan(250);
    expect(summary.received).toBe(summary.sent);
    const text = formatSummary(summary, true).join('\n');
    expect(text).toContain(`sent ${summary.sent} records`);
    // Says honestly whether detection ran.
    expect(text).toContain(summary.detectionActive ? 'injected anomalies' : 'detection is not active');
  }, 120_000); // closing waits for the services' trainings (LSTM epochs) to finish
});
