/**
 * The processor between two real OpenTelemetry Collectors (collector/build.sh), configured as
 * docs/collector.md says: what arrives downstream, and what survives a processor crash and a
 * downstream outage (docs/delivery.md: at-least-once, duplicates allowed and counted).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ATTR } from '@anomalog/shared';
import {
  BUILD_TIMEOUT_MS,
  attribute,
  collectorBinary,
  getJson,
  stopAll,
  tempDir,
  waitUntil,
  type ArrivedRecord,
} from './harness';
import { arrivals, fullRecord, requestOf, sendRecords, seqOf, startChain, type Chain } from './chain';
import { normalLines } from '../lifecycle/records';

jest.setTimeout(300_000);

const ANOMALOG_KEYS = new Set<string>(Object.values(ATTR));

beforeAll(() => {
  collectorBinary();
}, BUILD_TIMEOUT_MS);

afterEach(stopAll);

/** The record without the attributes Anomalog appends, and those appended attributes' keys. */
function split(r: ArrivedRecord) {
  const attrs = r.record.attributes ?? [];
  const own = attrs.findIndex((kv) => ANOMALOG_KEYS.has(kv.key));
  const cut = own < 0 ? attrs.length : own;
  return {
    sent: { ...r.record, attributes: attrs.slice(0, cut) },
    added: attrs.slice(cut).map((kv) => kv.key),
  };
}

/** Annotated: a template id, and a score or the mark that the service is still learning. */
function expectAnnotated(r: ArrivedRecord) {
  const attrs = r.record.attributes;
  expect(attribute(attrs, ATTR.templateId)?.stringValue).toEqual(expect.any(String));
  const scored = attribute(attrs, ATTR.score) !== undefined;
  const learning = attribute(attrs, ATTR.unscored)?.boolValue === true;
  expect(scored || learning).toBe(true);
}

function duplicates(counts: Map<number, number>): number {
  let n = 0;
  for (const c of counts.values()) n += c - 1;
  return n;
}

/** Every acknowledged record arrived at least once; returns how many extra copies arrived. */
async function expectNoneLost(chain: Chain, acked: number[], timeoutMs: number): Promise<number> {
  await waitUntil(
    () => {
      const counts = arrivals(chain.arrived());
      return acked.every((s) => counts.has(s));
    },
    timeoutMs,
    `${acked.length} acknowledged records downstream`,
  );
  const counts = arrivals(chain.arrived());
  expect(acked.filter((s) => !counts.has(s))).toEqual([]);
  return duplicates(counts);
}

test('Collector -> processor -> Collector: every record arrives once, annotated, every field as sent', async () => {
  const chain = await startChain();
  const total = 1_000;
  const acked = await sendRecords(chain.ingest, total);
  expect(acked).toHaveLength(total);
  await waitUntil(() => arrivals(chain.arrived()).size === total, 60_000, 'all records downstream');
  // A late duplicate would show within the file exporter's flush interval.
  await new Promise((r) => setTimeout(r, 1_000));

  const arrived = chain.arrived();
  expect(arrived).toHaveLength(total);
  expect([...arrivals(arrived).values()].every((c) => c === 1)).toBe(true);
  const lines = normalLines(total, 1);
  const template = requestOf('checkout', []).resourceLogs[0];
  for (const r of arrived) {
    const seq = seqOf(r);
    const { sent, added } = split(r);
    expect(sent).toEqual(fullRecord(seq, lines[seq]));
    expect(added.length).toBeGreaterThan(0);
    expectAnnotated(r);
    expect(r.resource.resource).toEqual(template.resource);
    expect(r.resource.schemaUrl).toBe(template.schemaUrl);
    expect({ ...r.scope, logRecords: [] }).toEqual(template.scopeLogs[0]);
  }
  // Same message shape, same template id.
  const ids = new Map<string, Set<unknown>>();
  for (const r of arrived) {
    const shape = String(r.record.body?.stringValue).replace(/\d+/g, '#');
    ids.set(shape, (ids.get(shape) ?? new Set()).add(attribute(r.record.attributes, ATTR.templateId)?.stringValue));
  }
  for (const [shape, set] of ids) expect([shape, set.size]).toEqual([shape, 1]);

  // The learning phase (300 records) ends with a model trained in a worker thread of the built
  // service; records sent after it arrive scored.
  await waitUntil(
    async () => {
      const services = await getJson<{ service: string; status: string }[]>(chain.processor.api, '/api/v1/services');
      return services.some((s) => s.service === 'checkout' && s.status === 'scoring');
    },
    120_000,
    'checkout scoring',
  );
  const later = await sendRecords(chain.ingest, 100, { firstSeq: total });
  await waitUntil(() => arrivals(chain.arrived()).size === total + later.length, 60_000, 'scored records downstream');
  const scored = chain.arrived().filter((r) => seqOf(r) >= total);
  expect(scored).toHaveLength(100);
  for (const r of scored) expect(attribute(r.record.attributes, ATTR.score)?.doubleValue).toEqual(expect.any(Number));
});

test('processor SIGKILLed mid-stream and restarted: the upstream Collector retries, no acknowledged record is lost', async () => {
  const chain = await startChain();
  const total = 3_000;
  const sending = sendRecords(chain.ingest, total, { perRequest: 50, paceMs: 20 });
  await waitUntil(() => chain.arrived().length >= 600, 60_000, 'traffic flowing downstream');
  await chain.processor.kill();
  const killedAt = chain.arrived().length;
  // Mid-stream: records were still on their way.
  expect(killedAt).toBeLessThan(total);
  await new Promise((r) => setTimeout(r, 3_000));
  // Nothing goes past a dead processor.
  expect(chain.arrived().length).toBe(killedAt);
  await chain.startProcessor();
  const acked = await sending;
  expect(acked).toHaveLength(total);
  const extra = await expectNoneLost(chain, acked, 120_000);
  expect(chain.upstream.log()).toMatch(/Exporting failed\. Will retry the request after interval/);
  // At-least-once: any duplicates are whole batches the processor had forwarded but not yet answered.
  expect(extra).toBeLessThanOrEqual(total);
  console.log(`processor SIGKILL: ${acked.length} acknowledged, all arrived, ${extra} duplicates`);
});

test('downstream Collector down for 30 s: the processor answers retryable, the upstream queues, nothing is lost', async () => {
  const chain = await startChain();
  const before = await sendRecords(chain.ingest, 500);
  await expectNoneLost(chain, before, 60_000);
  await chain.downstream.stop();
  const downAt = Date.now();
  const during = await sendRecords(chain.ingest, 1_000, { firstSeq: 500, paceMs: 50 });
  expect(during).toHaveLength(1_000);
  await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - downAt))));
  const counts = arrivals(chain.arrived());
  expect(during.filter((s) => counts.has(s))).toEqual([]);
  // The processor's UNAVAILABLE reached the upstream's exporter, which kept the batches to retry.
  expect(chain.upstream.log()).toMatch(/Exporting failed\. Will retry the request after interval.*Unavailable/);
  expect(chain.upstream.log()).not.toMatch(/Exporting failed\. Dropping data|Exporting failed\. Rejecting data/);
  await chain.startDownstream();
  const extra = await expectNoneLost(chain, [...before, ...during], 120_000);
  console.log(`downstream down 30 s: ${during.length} records sent meanwhile, all arrived, ${extra} duplicates`);
});

test('filelog receiver tailing a file of raw lines, through the whole chain', async () => {
  const dir = tempDir('filelog');
  const path = join(dir, 'app.log');
  writeFileSync(path, '');
  const chain = await startChain({ filelog: { include: [path], start_at: 'beginning', poll_interval: '100ms' } });
  const lines = normalLines(600, 7).map((l, i) => `${l} [line ${i}]`);
  for (let i = 0; i < lines.length; i += 100) {
    appendFileSync(path, lines.slice(i, i + 100).join('\n') + '\n');
    await new Promise((r) => setTimeout(r, 200));
  }
  await waitUntil(() => chain.arrived().length >= lines.length, 60_000, 'every tailed line downstream');
  await new Promise((r) => setTimeout(r, 1_000));
  const arrived = chain.arrived();
  expect(arrived.map((r) => r.record.body?.stringValue).sort()).toEqual([...lines].sort());
  for (const r of arrived) {
    expectAnnotated(r);
    expect(attribute(r.record.attributes, 'log.file.name')?.stringValue).toBe('app.log');
  }
});
