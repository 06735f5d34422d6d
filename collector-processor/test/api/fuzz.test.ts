/**
 * Property-based fuzzing of every API body: whatever JSON (or not-JSON) a client sends to a
 * state-changing route, the answer is a clear 4xx or a success, never a 5xx, and the API keeps serving.
 */
import fc from 'fast-check';
import { setup } from './setup';

jest.setTimeout(120000);
const RUNS = Math.max(20, Math.floor(Number(process.env.FUZZ_RUNS ?? 300) / 5));
const SEED = Number(process.env.FUZZ_SEED ?? 17);

const ROUTES: [string, string][] = [
  ['POST', '/api/v1/feedback'],
  ['PUT', '/api/v1/services/web/model'],
  ['POST', '/api/v1/benchmarks'],
  ['POST', '/api/v1/services/web/train'],
  ['POST', '/api/v1/services/web/versions/1/activate'],
];

/** Bodies near each route's schema (right keys, any values) as well as arbitrary JSON and text. */
const body = fc.oneof(
  fc.json(),
  fc.string(),
  fc
    .record(
      {
        kind: fc.oneof(fc.constantFrom('anomaly-normal', 'template-normal'), fc.anything()),
        service: fc.oneof(fc.constantFrom('web', 'db', ''), fc.anything()),
        anomalyId: fc.oneof(fc.constantFrom('a1', 'a3'), fc.anything()),
        templateId: fc.anything(),
        dataset: fc.oneof(fc.constantFrom('upload', 'hdfs', 'fail'), fc.anything()),
        detectors: fc.oneof(fc.constant(['lof']), fc.anything()),
        upload: fc.record({ log: fc.string(), labels: fc.string(), sessionRegex: fc.string() }, { requiredKeys: [] }),
        sessionKey: fc.record(
          { kind: fc.constantFrom('regex', 'attribute', 'trace'), regex: fc.string() },
          { requiredKeys: [] },
        ),
        learning: fc.anything(),
        __proto__: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
);

test('every state-changing route answers any body with a clear status, never a 5xx', async () => {
  const ctx = await setup();
  try {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, async ([method, path], payload) => {
        const r = await ctx.request(method, path, { payload });
        expect(r.statusCode).toBeLessThan(500);
        if (r.statusCode >= 400) expect(typeof r.json().message).toBe('string');
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect((await ctx.request('GET', '/api/v1/health')).statusCode).toBe(200);
  } finally {
    await ctx.close();
  }
});
