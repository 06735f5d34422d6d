import { ATTR, UNPARSED_TEMPLATE_ID } from '@anomalog/shared';
import { createTemplateStage } from '../../src/parse/stage';
import { MemoryMinerStateStore } from '../../src/parse/persistence';
import { createAttributesStage } from '../../src/annotate/attributes-stage';
import type { LogBatch } from '../../src/annotate/stage';
import type { AnyValue, LogRecord, LogsData } from '../../src/otlp/types';

function record(body: AnyValue | undefined, severityNumber = 9): LogRecord {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber,
    severityText: '',
    body,
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: new Uint8Array(),
    spanId: new Uint8Array(),
    eventName: '',
  };
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
  return { data, recordCount: bodies.length, receivedAtMs: 0, facts: [] };
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
    expect(b.facts).toHaveLength(4);
    expect(b.facts[0]).toMatchObject({ service: 'api', severityNumber: 9, template: 'GET <*> took <*>' });
    expect(b.facts[1].templateId).toBe(b.facts[0].templateId);
    expect(b.facts[1].params).toEqual(['/users/99', '7 ms']);
    expect(b.facts[2].templateId).toBe(UNPARSED_TEMPLATE_ID);
    expect(b.facts[3].templateId).toBe(UNPARSED_TEMPLATE_ID);
    createAttributesStage().process(b);
    const attrs = b.data.resourceLogs[0].scopeLogs[0].logRecords[0].attributes;
    expect(attrs).toContainEqual({ key: ATTR.templateId, value: { stringValue: b.facts[0].templateId } });
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
  });

  it('snapshots on close and a new stage restores the same ids; a broken snapshot starts empty', async () => {
    const store = new MemoryMinerStateStore();
    const s1 = createTemplateStage({}, store);
    await s1.open();
    const b1 = batch('api', [{ stringValue: 'worker 3 started' }]);
    await s1.process(b1);
    await s1.close!();
    const s2 = createTemplateStage({}, store);
    await s2.open();
    const b2 = batch('api', [{ stringValue: 'worker 8 started' }]);
    await s2.process(b2);
    expect(b2.facts[0].templateId).toBe(b1.facts[0].templateId);

    store.bytes = new Uint8Array([1, 2, 3]);
    const errors: string[] = [];
    const s3 = createTemplateStage({}, store, (m) => errors.push(m));
    await s3.open();
    expect(errors[0]).toMatch(/not restored/);
    expect(s3.miner.size).toBe(0);
  });
});
