import { createPipeline } from '../../src/chain/pipeline';
import { createNullExporter } from '../../src/export/exporter';
import type { AnnotationStage } from '../../src/chain/stage';
import type { LogsData } from '../../src/otlp/types';
import { createTurns, loopTurnedSince } from '../../src/chain/turns';
import { silentLogger } from '../processor/helpers';
import { logRecordOf } from '../../src/otlp/log-record';
import { decodeLogsRequest } from '../../src/otlp/logs-decode';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { recordWeight, SlicePace, sliceRequest } from '../../src/chain/slices';

const data: LogsData = { resourceLogs: [] };

describe('event-loop turns between requests', () => {
  test('turns resolve in call order, each in a later turn of the loop', async () => {
    const turn = createTurns();
    const log: string[] = [];
    const turns = [1, 2, 3].map((n) =>
      turn().then(() => {
        log.push(`turn ${n}`);
        setImmediate(() => log.push(`io after ${n}`));
      }),
    );
    await Promise.all(turns);
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['turn 1', 'io after 1', 'turn 2', 'io after 2', 'turn 3', 'io after 3']);
  });

  test('tells whether the loop went round: not while only microtasks ran, once something waited for it', async () => {
    const quick = loopTurnedSince();
    await Promise.resolve();
    await (async () => {})();
    expect(quick()).toBe(false);
    const waited = loopTurnedSince();
    await new Promise((r) => setTimeout(r, 1));
    expect(waited()).toBe(true);
  });

  test("the loop polls between two requests' annotation chains, which start in arrival order", async () => {
    const log: string[] = [];
    const stage: AnnotationStage = {
      name: 'probe',
      process(batch) {
        log.push(`chain ${batch.recordCount}`);
        // stands for I/O that becomes ready while the chain runs (an export leaving, an API request)
        setImmediate(() => log.push(`io after ${batch.recordCount}`));
      },
    };
    const pipeline = createPipeline({ stages: [stage], exporter: createNullExporter(), logger: silentLogger });
    await Promise.all([1, 2, 3].map((n) => pipeline.run({ recordCount: n, data }, undefined, Date.now())));
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['chain 1', 'io after 1', 'chain 2', 'io after 2', 'chain 3', 'io after 3']);
  });
});

describe('a large request through the chain in slices', () => {
  /** One service of `n` records whose bodies are their numbers. */
  const request = (service: string, n: number): LogsData => ({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }], droppedAttributesCount: 0 },
        schemaUrl: '',
        scopeLogs: [
          {
            schemaUrl: '',
            logRecords: Array.from({ length: n }, (_, i) => logRecordOf({ body: { stringValue: `${i}` } })),
          },
        ],
      },
    ],
  });

  test('other requests and timers run between the slices of a large one, which stay in order', async () => {
    const log: string[] = [];
    const seen = new Map<string, string[]>();
    const stage: AnnotationStage = {
      name: 'probe',
      process(batch) {
        for (const rl of batch.data.resourceLogs) {
          const service = rl.resource!.attributes[0].value.stringValue!;
          for (const sl of rl.scopeLogs)
            for (const r of sl.logRecords) {
              const list = seen.get(service) ?? [];
              list.push(r.body!.stringValue!);
              seen.set(service, list);
              r.attributes.push({ key: 'seen', value: { boolValue: true } });
            }
          log.push(`${service} ${batch.recordCount}`);
        }
      },
    };
    const exported: LogsData[] = [];
    const exporter = {
      ...createNullExporter(),
      export: (b: Buffer) => (exported.push(decodeLogsRequest(b).data), Promise.resolve({})),
    };
    const pipeline = createPipeline({ stages: [stage], exporter, logger: silentLogger, sliceWeight: 100 });
    setImmediate(() => log.push('timer'));
    const big = request('big', 1000);
    await Promise.all([
      pipeline.run({ recordCount: 1000, data: big }, undefined, Date.now()),
      pipeline.run({ recordCount: 10, data: request('small', 10) }, undefined, Date.now()),
    ]);
    // the big request's slices take turns: the small request and the timer run after its first
    expect(log.indexOf('small 10')).toBeLessThan(3);
    expect(log.indexOf('timer')).toBeLessThan(3);
    expect(log.filter((l) => l.startsWith('big')).length).toBeGreaterThan(5);
    expect(seen.get('big')).toEqual(Array.from({ length: 1000 }, (_, i) => `${i}`));
    // the request leaves whole, one resource and scope, every record annotated, in order
    const out = exported.find((d) => d.resourceLogs[0].scopeLogs[0].logRecords.length === 1000)!;
    expect(out.resourceLogs).toHaveLength(1);
    expect(out.resourceLogs[0].scopeLogs[0].logRecords.map((r) => r.body!.stringValue)).toEqual(seen.get('big'));
    expect(out.resourceLogs[0].scopeLogs[0].logRecords.every((r) => r.attributes.length === 1)).toBe(true);
  });

  test('a request annotated in slices leaves as the same bytes as encoding it whole', async () => {
    // Two services with several scopes (one empty), records as received (their wire bytes kept) with
    // attributes appended, and some changed otherwise (re-encoded from their fields).
    const scope = (name: string, n: number) => ({
      scope: { name, version: '1', attributes: [], droppedAttributesCount: 0 },
      schemaUrl: `https://example.com/${name}`,
      logRecords: Array.from({ length: n }, (_, i) =>
        logRecordOf({ body: { stringValue: `${name} ${i} ${'x'.repeat(i % 7)}` }, severityNumber: 9 }),
      ),
    });
    const resource = (service: string, scopes: ReturnType<typeof scope>[]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }], droppedAttributesCount: 0 },
      schemaUrl: 'https://example.com/r',
      scopeLogs: scopes,
    });
    const sent = encodeLogsRequest({
      resourceLogs: [
        resource('a', [scope('a1', 130), scope('a2', 0), scope('a3', 45)]),
        resource('b', [scope('b1', 3)]),
        resource('c', [scope('c1', 90), scope('c2', 1)]),
      ],
    });
    const received = decodeLogsRequest(sent, { keepWire: true });
    let k = 0;
    const stage: AnnotationStage = {
      name: 'annotate',
      process(batch) {
        for (const rl of batch.data.resourceLogs)
          for (const sl of rl.scopeLogs)
            for (const r of sl.logRecords) {
              r.attributes.push({ key: 'n', value: { intValue: BigInt(k) } });
              if (k++ % 11 === 0) {
                r.severityNumber = 17;
                r.wire = undefined;
              }
            }
      },
    };
    const forwarded: Buffer[] = [];
    const exporter = { ...createNullExporter(), export: (b: Buffer) => (forwarded.push(b), Promise.resolve({})) };
    const pipeline = createPipeline({ stages: [stage], exporter, logger: silentLogger, sliceWeight: 40 });
    await pipeline.run(received, sent, Date.now());
    expect(k).toBe(269);
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0].equals(encodeLogsRequest(received.data!))).toBe(true);
    expect(decodeLogsRequest(forwarded[0]).recordCount).toBe(269);
  });

  test('slices hold every record once, in order, bounded by weight', () => {
    const data: LogsData = { resourceLogs: [...request('a', 250).resourceLogs, ...request('b', 3).resourceLogs] };
    const slices = sliceRequest(data, 253, 64);
    expect(slices.length).toBeGreaterThan(3);
    expect(slices.reduce((n, s) => n + s.recordCount, 0)).toBe(253);
    const flat = slices.flatMap((s) =>
      s.data.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords)),
    );
    expect(flat).toEqual(data.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords)));
    for (const s of slices) {
      let w = 0;
      for (const rl of s.data.resourceLogs)
        for (const sl of rl.scopeLogs) for (const r of sl.logRecords) w += recordWeight(r);
      expect(w).toBeLessThanOrEqual(64);
    }
    // small requests are not copied
    expect(sliceRequest(data, 253, 10_000)[0].data).toBe(data);
  });
});

describe('slice pacing', () => {
  test('slices that take long shrink the next ones, quick ones grow them, within bounds', () => {
    const pace = new SlicePace();
    // before any slice is timed, the smallest
    const first = pace.weight();
    for (let i = 0; i < 20; i++) pace.observe(2048, 15);
    const steady = pace.weight();
    expect(steady).toBeGreaterThan(first);
    // one slice four times too long: the next is a quarter, not the average's gradual step down
    const again = new SlicePace();
    for (let i = 0; i < 20; i++) again.observe(2048, 15);
    again.observe(2048, 60);
    expect(again.weight()).toBeLessThanOrEqual(Math.ceil(steady / 4));
    for (let i = 0; i < 20; i++) pace.observe(2048, 200);
    const slow = pace.weight();
    expect(slow).toBeLessThan(steady);
    expect(slow).toBeGreaterThanOrEqual(first);
    for (let i = 0; i < 40; i++) pace.observe(2048, 1);
    expect(pace.weight()).toBeGreaterThan(steady);
    for (let i = 0; i < 40; i++) pace.observe(4096, 10_000);
    expect(pace.weight()).toBeGreaterThan(0);
    // small slices (a small request's fixed costs) do not move it
    const before = pace.weight();
    pace.observe(10, 50);
    expect(pace.weight()).toBe(before);
  });
});
