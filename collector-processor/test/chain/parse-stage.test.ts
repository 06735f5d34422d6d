import { ATTR, UNPARSED_TEMPLATE_ID } from '@anomalog/shared';
import { createTemplateStage } from '../../src/chain/parse-stage';
import { MemoryMinerStateStore } from '../../src/parse/persistence';
import { createAttributesStage } from '../../src/chain/attributes-stage';
import { batchAnnotations, newBatch, type LogBatch } from '../../src/chain/stage';
import type { AnyValue, LogRecord, LogsData } from '../../src/otlp/types';
import { logRecordOf } from '../../src/otlp/log-record';

function record(body: AnyValue | undefined, severityNumber = 9): LogRecord {
  return logRecordOf({ severityNumber, body });
}

function batch(service: string, bodies: (AnyValue | undefined)[]): LogBatch {
  const data: LogsData = {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }], droppedAttributesCount: 0 },
        scopeLogs: [{ logRecords: bodies.map((b) => record(b)), schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  };
  return newBatch(data, bodies.length, 0);
}

describe('createTemplateStage', () => {
  it('fills facts in record order and the attributes stage writes log.template.*', async () => {
    const stage = createTemplateStage();
    const b = batch('api', [
      { stringValue: 'GET /users/12 took 5 ms' },
      { kvlistValue: { values: [{ key: 'msg', value: { stringValue: 'GET /users/99 took 7 ms' } }] } },
      { stringValue: '' },
      { bytesValue: new Uint8Array([0, 1, 2]) },
    ]);
    await stage.process(b);
    expect(batchAnnotations(b)).toHaveLength(4);
    expect(b.parsed.at(0)).toMatchObject({ service: 'api', severityNumber: 9, template: 'GET <*> took <*>' });
    expect(b.parsed.templateId[1]).toBe(b.parsed.templateId[0]);
    expect(b.parsed.templateId[2]).toBe(UNPARSED_TEMPLATE_ID);
    expect(b.parsed.templateId[3]).toBe(UNPARSED_TEMPLATE_ID);
    createAttributesStage().process(b);
    const attrs = b.data.resourceLogs[0].scopeLogs[0].logRecords[0].attributes;
    expect(attrs).toContainEqual({ key: ATTR.templateId, value: { stringValue: b.parsed.templateId[0] } });
    expect(attrs).toContainEqual({ key: ATTR.template, value: { stringValue: 'GET <*> took <*>' } });
  });

  it("a template's first and last seen are its records' own times (event, else observed, else arrival)", async () => {
    const stage = createTemplateStage();
    const jobs = batch('api', [
      { stringValue: 'job 1 done' },
      { stringValue: 'job 2 done' },
      { stringValue: 'job 3 done' },
    ]);
    const b: LogBatch = { ...jobs, receivedAtMs: Date.UTC(2026, 0, 3) };
    const [first, second] = b.data.resourceLogs[0].scopeLogs[0].logRecords;
    first.timeUnixNano = BigInt(Date.UTC(2026, 0, 1)) * 1_000_000n;
    second.observedTimeUnixNano = BigInt(Date.UTC(2026, 0, 2)) * 1_000_000n;
    await stage.process(b);
    const [cluster] = stage.miner.clusters();
    expect(cluster).toMatchObject({ count: 3, firstSeenMs: Date.UTC(2026, 0, 1), lastSeenMs: Date.UTC(2026, 0, 3) });
    // a late batch of older records (a retry, a slow source) widens first seen and keeps last seen
    const late = batch('api', [{ stringValue: 'job 4 done' }, { stringValue: 'job 5 done' }]);
    const [older, oldest] = late.data.resourceLogs[0].scopeLogs[0].logRecords;
    older.timeUnixNano = BigInt(Date.UTC(2026, 0, 2)) * 1_000_000n;
    oldest.timeUnixNano = BigInt(Date.UTC(2025, 11, 31)) * 1_000_000n;
    await stage.process(late);
    expect(cluster).toMatchObject({ count: 5, firstSeenMs: Date.UTC(2025, 11, 31), lastSeenMs: Date.UTC(2026, 0, 3) });
  });

  it('snapshots on close and a new stage restores the same ids; a broken snapshot starts empty', async () => {
    const store = new MemoryMinerStateStore();
    const s1 = createTemplateStage({}, store);
    await s1.open();
    const b1 = batch('api', [{ stringValue: 'worker 3 started' }]);
    await s1.process(b1);
    await s1.close!();
    expect([...store.services.keys()]).toEqual(['api']);
    const s2 = createTemplateStage({}, store);
    await s2.open();
    const b2 = batch('api', [{ stringValue: 'worker 8 started' }]);
    await s2.process(b2);
    expect(b2.parsed.templateId[0]).toBe(b1.parsed.templateId[0]);

    store.legacy = new Uint8Array([1, 2, 3]);
    const errors: string[] = [];
    const s3 = createTemplateStage({}, store, (m) => errors.push(m));
    await s3.open();
    expect(errors[0]).toMatch(/not restored/);
    expect(s3.miner.size).toBe(0);

    store.services.set('api', new Uint8Array([1, 2, 3]));
    const s4 = createTemplateStage({}, store, (m) => errors.push(m));
    await s4.process(batch('api', [{ stringValue: 'worker 9 started' }]));
    expect(errors[1]).toMatch(/snapshot of api not restored/);
    expect(s4.miner.size).toBe(1);
  });

  describe('per-service snapshots shared by replicas', () => {
    const users = (names: string[]) => names.map((n) => ({ stringValue: `session opened for ${n} today` }));

    it('two stages on one store: each writes only its services; a third sees both with the same ids', async () => {
      const store = new MemoryMinerStateStore();
      const r1 = createTemplateStage({}, store);
      const r2 = createTemplateStage({}, store);
      const a = batch('checkout', users(['alice', 'bob'])); // 'session opened for <*> today' after generalising
      const b = batch('cart', [{ stringValue: 'cart 7 emptied' }]);
      await r1.process(a);
      await r2.process(b);
      await r1.snapshot();
      await r2.snapshot();
      expect([...store.services.keys()].sort()).toEqual(['cart', 'checkout']);

      const r3 = createTemplateStage({}, store);
      const a3 = batch('checkout', users(['carol']));
      const b3 = batch('cart', [{ stringValue: 'cart 9 emptied' }]);
      await r3.process(a3);
      await r3.process(b3);
      expect(a3.parsed.at(0)).toMatchObject({
        templateId: a.parsed.templateId[0],
        newTemplate: false,
      });
      expect(b3.parsed.at(0)).toMatchObject({
        templateId: b.parsed.templateId[0],
        newTemplate: false,
      });
      // without the snapshot, 'session opened for carol today' would be a new template with another id
      const alone = createTemplateStage();
      const a4 = batch('checkout', users(['carol']));
      await alone.process(a4);
      expect(a4.parsed.templateId[0]).not.toBe(a.parsed.templateId[0]);
    });

    it('no record of a service is mined before its snapshot is read; batches arriving meanwhile wait too', async () => {
      const inner = new MemoryMinerStateStore();
      const first = createTemplateStage({}, inner);
      const a = batch('checkout', users(['alice', 'bob']));
      await first.process(a);
      await first.close!();

      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let reads = 0;
      const slow = {
        loadService: async (s: string) => {
          reads++;
          await gate;
          return inner.loadService(s);
        },
        saveService: (s: string, bytes: Uint8Array) => inner.saveService(s, bytes),
      };
      const next = createTemplateStage({}, slow);
      const b1 = batch('checkout', users(['carol']));
      const b2 = batch('checkout', users(['dave']));
      const p1 = next.process(b1);
      const p2 = next.process(b2);
      await new Promise((r) => setTimeout(r, 5));
      expect(batchAnnotations(b1)).toHaveLength(0);
      expect(batchAnnotations(b2)).toHaveLength(0);
      expect(next.miner.size).toBe(0);
      release();
      await Promise.all([p1, p2]);
      expect(reads).toBe(1);
      expect(b1.parsed.templateId[0]).toBe(a.parsed.templateId[0]);
      expect(b2.parsed.templateId[0]).toBe(a.parsed.templateId[0]);
      // known now: the next batch is mined synchronously, no read
      const b3 = batch('checkout', users(['erin']));
      expect(next.process(b3)).toBeUndefined();
      expect(b3.parsed.templateId[0]).toBe(a.parsed.templateId[0]);
      expect(reads).toBe(1);
    });

    it('a service that moved away is not written again; when it comes back after an idle period the newer snapshot is read', async () => {
      const store = new MemoryMinerStateStore();
      let now = 1_000_000;
      const opts = { reloadAfterIdleMs: 60_000, now: () => now };
      const r1 = createTemplateStage({}, store, undefined, opts);
      const r2 = createTemplateStage({}, store, undefined, opts);
      const a1 = batch('checkout', users(['alice']));
      await r1.process(a1);
      await r1.snapshot();
      // the ring moves checkout to r2, which learns a template r1 never saw
      now += 1_000;
      const a2 = batch('checkout', users(['bob']).concat([{ stringValue: 'payment 42 declined' }]));
      await r2.process(a2);
      expect(a2.parsed.templateId[0]).toBe(a1.parsed.templateId[0]);
      await r2.snapshot();
      const written = store.services.get('checkout');
      // r1 keeps other services busy and snapshots: checkout is not dirty there, r2's row stays
      now += 30_000;
      await r1.process(batch('cart', [{ stringValue: 'cart 7 emptied' }]));
      await r1.close!();
      expect(store.services.get('checkout')).toBe(written);
      // checkout comes back to r1 after more than the idle period: r1 reads r2's snapshot first
      now += 60_000;
      const back = batch('checkout', [{ stringValue: 'payment 43 declined' }]);
      await r1.process(back);
      expect(back.parsed.at(0)).toMatchObject({
        templateId: a2.parsed.templateId[1],
        newTemplate: false,
      });
    });

    it("reads the old single 'miner' snapshot at open; a service's own snapshot wins over it", async () => {
      const old = createTemplateStage();
      const a = batch('checkout', users(['alice', 'bob']));
      const c = batch('cart', [{ stringValue: 'cart 7 emptied' }]);
      await old.process(a);
      await old.process(c);
      const store = new MemoryMinerStateStore();
      store.legacy = old.miner.snapshot();
      // cart has its own, newer snapshot in which 'cart <*> emptied' is unknown and 'cart reset' is known
      const cartOwn = createTemplateStage({}, store);
      const reset = batch('cart', [{ stringValue: 'cart reset' }]);
      await cartOwn.process(reset);
      await cartOwn.snapshot();

      const s = createTemplateStage({}, store);
      await s.open();
      const a2 = batch('checkout', users(['carol']));
      await s.process(a2);
      expect(a2.parsed.templateId[0]).toBe(a.parsed.templateId[0]);
      const c2 = batch('cart', [{ stringValue: 'cart reset' }, { stringValue: 'cart 9 emptied' }]);
      await s.process(c2);
      expect(c2.parsed.at(0)).toMatchObject({
        templateId: reset.parsed.templateId[0],
        newTemplate: false,
      });
      expect(c2.parsed.at(1)!.newTemplate).toBe(true); // the legacy row's 'cart <*> emptied' was replaced
    });
  });
});
