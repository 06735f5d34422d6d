import type { Store } from '../../src/store/store';
import type { TriageStore } from '../../src/store/triage';
import { anomaly, iso, MINUTE, T0 } from './fixtures';

/** What both triage backends must do, run over a fresh Store + TriageStore pair. */
export function triageConformance(fresh: () => Promise<{ store: Store; triage: TriageStore; close(): Promise<void> }>) {
  let store: Store;
  let triage: TriageStore;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, triage, close } = await fresh());
  });
  afterEach(async () => close());

  const GAP = 5 * MINUTE;

  async function stored(...batch: ReturnType<typeof anomaly>[]) {
    await store.insertAnomalies(batch);
    await triage.recordIncidents(batch, GAP);
  }

  it('groups anomalies of one service and template close in time into one incident, a later one into a new one', async () => {
    await stored(
      anomaly('a1', { time: iso(T0), score: 0.7 }),
      anomaly('a2', { time: iso(T0 + MINUTE), score: 0.95, detector: 'lstm' }),
      anomaly('b1', { time: iso(T0 + MINUTE), templateId: 't2', template: 'other <*>' }),
    );
    // next batch: within the gap of a2 → same incident; 20 minutes on → a new one
    await stored(anomaly('a3', { time: iso(T0 + 4 * MINUTE) }), anomaly('a4', { time: iso(T0 + 30 * MINUTE) }));
    const page = await triage.listIncidents({});
    expect(page.total).toBe(3);
    const [newest, ...rest] = page.items;
    expect(newest).toMatchObject({ templateId: 't1', count: 1, firstSeen: iso(T0 + 30 * MINUTE), status: 'open' });
    const first = rest.find((i) => i.templateId === 't1')!;
    expect(first).toMatchObject({
      service: 'web',
      groupKey: 'template:t1',
      count: 3,
      firstSeen: iso(T0),
      lastSeen: iso(T0 + 4 * MINUTE),
      peakScore: 0.95,
      detectors: ['isolation-forest', 'lstm'],
      sampleMessage: 'disk a1 failed',
    });
    const records = await triage.incidentRecords(first.id, 10);
    expect(records.map((r) => r.id)).toEqual(['a3', 'a2', 'a1']);
    expect(await triage.getIncident(first.id)).toEqual(first);
  });

  it('counts a replayed batch once', async () => {
    const batch = [anomaly('a1'), anomaly('a2', { time: iso(T0 + 1000) })];
    await stored(...batch);
    await stored(...batch.map((a) => structuredClone(a)));
    const page = await triage.listIncidents({});
    expect(page.items.map((i) => i.count)).toEqual([2]);
  });

  it('groups session verdicts by session, and filters incidents by service, status and time', async () => {
    await stored(
      anomaly('s1', { detector: 'lof/session', sessionId: 'blk_1', templateId: 't1' }),
      anomaly('s2', { detector: 'lof/session', sessionId: 'blk_2', templateId: 't1' }),
      anomaly('d1', { service: 'db', time: iso(T0 + 60 * MINUTE) }),
    );
    expect((await triage.listIncidents({ service: 'web' })).items.map((i) => i.groupKey).sort()).toEqual([
      'session:blk_1',
      'session:blk_2',
    ]);
    const db = (await triage.listIncidents({ service: 'db' })).items[0];
    expect(await triage.setIncidentStatus(db.id, 'acknowledged')).toMatchObject({ status: 'acknowledged' });
    expect((await triage.listIncidents({ status: 'acknowledged' })).items.map((i) => i.id)).toEqual([db.id]);
    expect((await triage.listIncidents({ from: iso(T0 + 30 * MINUTE) })).items.map((i) => i.id)).toEqual([db.id]);
    expect((await triage.listIncidents({ to: iso(T0 + 30 * MINUTE) })).total).toBe(2);
    expect((await triage.listIncidents({ limit: 1, offset: 1 })).items).toHaveLength(1);
    expect(await triage.setIncidentStatus('nope', 'resolved')).toBeUndefined();
  });

  it('starts a new incident after one was resolved', async () => {
    await stored(anomaly('a1'));
    const [first] = (await triage.listIncidents({})).items;
    await triage.setIncidentStatus(first.id, 'resolved');
    await stored(anomaly('a2', { time: iso(T0 + MINUTE) }));
    const page = await triage.listIncidents({});
    expect(page.total).toBe(2);
    expect(page.items[0]).toMatchObject({ status: 'open', count: 1 });
  });

  it('aggregates counts and score quantiles per bucket, service and detector over any range', async () => {
    const batch = [];
    // 1,500 anomalies in the first minute (more than a page of the anomaly list), scores 0.001 … 1.000
    for (let i = 0; i < 1500; i++)
      batch.push(anomaly(`x${i}`, { time: iso(T0 + (i % 60) * 1000), score: ((i % 1000) + 1) / 1000 }));
    batch.push(anomaly('y1', { time: iso(T0 + 2 * MINUTE), score: 0.5, detector: 'lstm', service: 'db' }));
    await store.insertAnomalies(batch);
    const all = await triage.aggregate({ from: iso(T0), to: iso(T0 + 3 * MINUTE - 1), stepMs: MINUTE });
    expect(all).toMatchObject({ from: T0, stepMs: MINUTE });
    expect(all.buckets).toHaveLength(2);
    const [web, db] = all.buckets;
    expect(web).toMatchObject({ t: T0, service: 'web', detector: 'isolation-forest', count: 1500, max: 1 });
    // 500 of the scores ≤ 0.5 appear twice: the median is under 0.5, to the histogram's 0.01
    expect(web.p50).toBeGreaterThan(0.3);
    expect(web.p50).toBeLessThanOrEqual(0.42);
    expect(web.p90).toBeGreaterThan(0.8);
    expect(web.p99).toBeGreaterThan(0.97);
    expect(db).toMatchObject({ t: T0 + 2 * MINUTE, service: 'db', detector: 'lstm', count: 1, p50: 0.5, max: 0.5 });
    const filtered = await triage.aggregate({ from: String(T0), to: String(T0 + 3 * MINUTE), service: 'db' });
    expect(filtered.buckets.map((b) => b.count)).toEqual([1]);
    // a year at a one-minute step is widened to at most 1,000 buckets
    const wide = await triage.aggregate({ from: iso(T0), to: iso(T0 + 365 * 24 * 60 * MINUTE), stepMs: MINUTE });
    expect(wide.stepMs).toBeGreaterThanOrEqual((365 * 24 * 60 * MINUTE) / 1000);
    expect(wide.buckets.reduce((n, b) => n + b.count, 0)).toBe(1501);
  });

  it('leaves suppressed anomalies out of an aggregate when asked', async () => {
    await store.insertAnomalies([anomaly('a1'), anomaly('a2', { templateId: 't2' })]);
    await store.suppressAnomalies({ id: 'a1' });
    const q = { from: iso(T0), to: iso(T0 + MINUTE) };
    expect((await triage.aggregate(q)).buckets[0].count).toBe(2);
    expect((await triage.aggregate({ ...q, excludeSuppressed: true })).buckets[0].count).toBe(1);
  });

  it('stores, lists and deletes suppressions; prunes expired ones and old incidents', async () => {
    const forever = { id: 's1', service: 'web', templateId: 't1', createdAt: iso(T0) };
    const muted = {
      id: 's2',
      service: 'web',
      templateId: 't2',
      template: 'x <*>',
      detector: 'lstm',
      createdAt: iso(T0 + MINUTE),
      expiresAt: iso(T0 + 10 * MINUTE),
      comment: 'deploy',
      incidentId: 'i1',
    };
    await triage.insertSuppression(forever);
    await triage.insertSuppression(muted);
    expect(await triage.listSuppressions()).toEqual([muted, forever]);
    await stored(anomaly('a1'));
    expect(await triage.prune(T0 + 20 * MINUTE)).toBe(3); // the link, the incident, the expired suppression
    expect(await triage.listSuppressions()).toEqual([forever]);
    expect((await triage.listIncidents({})).total).toBe(0);
    expect(await triage.deleteSuppression('s1')).toBe(true);
    expect(await triage.deleteSuppression('s1')).toBe(false);
    expect(await triage.listSuppressions()).toEqual([]);
  });
}
