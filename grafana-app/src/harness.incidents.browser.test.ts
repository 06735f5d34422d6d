/**
 * @jest-environment node
 */
/*
 * Triage in Chromium against the REAL processor (harness/realProcessor.ts: startAnomalog fed with the
 * demo's services): incidents first, an incident opened to its anomalies, one anomaly's explanation,
 * "Mark normal", then identical records sent over OTLP/HTTP pass unflagged; the suppression is listed
 * and undone. Screenshots in light and dark into test-results/.
 */
import path from 'path';
import type { Server } from 'http';
import type { Browser, Page } from 'playwright-core';
import type { AnomalyDetail, AnomalyPage, IncidentDetail, IncidentPage, Suppression } from '@anomalog/shared';
import { startProxyHarness } from '../harness/serve';
import { APP_DIR, SHOTS, buildHarness, launchChromium, waitForDrawerOpen } from './test-utils/browser';
import { startRealProcessor, until, type RealProcessor } from './test-utils/realProcessor';

const DIST = path.join(APP_DIR, 'harness', 'dist', 'incidents');
const shot = (name: string) => path.join(SHOTS, `incidents-${name}.png`);

jest.setTimeout(120000);

let api: RealProcessor;
let browser: Browser;
let server: Server;
let origin: string;
let page: Page;

beforeAll(async () => {
  buildHarness(DIST);
  api = await startRealProcessor();
  ({ server, origin } = await startProxyHarness({
    settings: { jsonData: { processorUrl: api.api }, secureJsonData: { apiToken: api.token } },
    distDir: DIST,
  }));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
}, 180000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  await api?.stop();
});

const open = (query: string) => page.goto(`${origin}/?page=anomalies${query}`);

/** Records of `service` with `message`, now, over OTLP/HTTP JSON, as a Collector's otlphttp exporter sends them. */
async function sendRecords(service: string, message: string, n: number): Promise<void> {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const logRecords = Array.from({ length: n }, (_, i) => ({
    timeUnixNano: String(nowNs + BigInt(i) * 1_000_000n),
    severityNumber: 17,
    severityText: 'ERROR',
    body: { stringValue: message },
  }));
  const body = {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [{ logRecords }],
      },
    ],
  };
  const res = await fetch(`http://${api.otlpHttp}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

/** The open drawer shows the stored lines before, the record's own line and the stored lines after, in order. */
async function checkLinesAround(record: AnomalyDetail): Promise<void> {
  const texts = (label: string) =>
    page.getByLabel(label).locator('[data-anomalous] > span:last-child').allTextContents();
  await page.getByLabel('The anomalous line').getByText(record.message, { exact: true }).waitFor();
  expect(await texts('Lines before')).toEqual(record.context.map((l) => l.message));
  expect(await texts('The anomalous line')).toEqual([record.message]);
  expect(await texts('Lines after')).toEqual(record.contextAfter!.map((l) => l.message));
  if (record.contextAfter!.length === 0) await page.getByText('No lines came after it.').waitFor();
}

test('incident → anomaly → explanation → mark normal → identical records are not flagged → undo', async () => {
  const incidents = await api.get<IncidentPage>('/incidents?limit=500');
  expect(incidents.total).toBeGreaterThan(0);
  // an unseen template's incident: identical records are flagged again for sure until it is muted
  const target = incidents.items.find(
    (i) => i.detectors.includes('unseen-template') && i.groupKey.startsWith('template:'),
  )!;
  expect(target).toBeDefined();

  await open('');
  await page.getByRole('radio', { name: 'Incidents' }).waitFor();
  await page.getByLabel('Services: anomalies now vs usual').waitFor();
  await page.getByText(/incidents? \(anomalies of one service/).waitFor();
  await page.screenshot({ path: shot('list-dark'), fullPage: true });

  // a URL per incident: it comes first, opened to its anomalies
  await open(`&incident=${target.id}`);
  // (the harness serves no icon files: the expander icon has no size, so the click is dispatched)
  await page.getByRole('button', { name: 'Toggle row expanded' }).first().dispatchEvent('click');
  const expanded = page.getByLabel(`Incident ${target.id}`);
  await expanded.getByLabel('Incident anomalies').waitFor();
  const detail = await api.get<IncidentDetail>(`/incidents/${target.id}`);
  expect(detail.records.length).toBeGreaterThan(0);
  await page.screenshot({ path: shot('expanded-dark'), fullPage: true });

  // one anomaly: the line itself between the lines before and after it, and its explanation
  let record = await api.get<AnomalyDetail>(`/anomalies/${detail.records[0].id}`);
  // the lines after are written once they came, or when store.retention.contextAfterWaitSeconds passed
  await until(
    async () => (record = await api.get<AnomalyDetail>(`/anomalies/${record.id}`)).contextAfter !== undefined,
    'the lines after the anomaly',
    45000,
  );
  expect(record.context.length).toBeGreaterThan(0);
  await expanded.getByRole('button', { name: record.message }).first().click();
  await waitForDrawerOpen(page);
  await page.getByText(record.explanation.reason).first().waitFor();
  await checkLinesAround(record);
  await page.screenshot({ path: shot('explanation-dark') });
  await open(`&incident=${target.id}&anomaly=${record.id}&theme=light`);
  await waitForDrawerOpen(page);
  await checkLinesAround(record);
  await page.screenshot({ path: shot('explanation-light') });
  await page.keyboard.press('Escape');
  await open(`&incident=${target.id}`);
  await page.getByRole('button', { name: 'Toggle row expanded' }).first().dispatchEvent('click');
  await expanded.getByLabel('Incident anomalies').waitFor();

  // mark normal: a suppression of the incident's service and template, in force at once
  const markedAt = Date.now();
  await expanded.getByRole('button', { name: 'Mark normal' }).click();
  await expanded.getByText(/^Suppressed until undone/).waitFor();
  const suppressions = await api.get<Suppression[]>('/suppressions');
  expect(suppressions).toEqual([
    expect.objectContaining({ service: target.service, templateId: target.templateId, incidentId: target.id }),
  ]);
  expect((await api.get<IncidentDetail>(`/incidents/${target.id}`)).status).toBe('normal');
  await page.screenshot({ path: shot('marked-normal-dark'), fullPage: true });

  // identical records now pass as normal: no new anomaly of the template, the incident does not grow
  await sendRecords(target.service, target.sampleMessage, 5);
  const since = `/anomalies?service=${target.service}&templateId=${encodeURIComponent(target.templateId)}&from=${markedAt}`;
  await new Promise((ok) => setTimeout(ok, 1500)); // the stored-anomaly queue writes after the answer
  expect((await api.get<AnomalyPage>(since)).total).toBe(0);
  expect((await api.get<IncidentDetail>(`/incidents/${target.id}`)).count).toBe(target.count);

  // listed, in both themes, and undone from the list
  await open('&view=suppressions&theme=light');
  await page.getByLabel('Suppressions').getByRole('button', { name: 'Undo' }).waitFor();
  await page.screenshot({ path: shot('suppressions-light'), fullPage: true });
  await open('&view=suppressions');
  await page.getByLabel('Suppressions').getByRole('button', { name: 'Undo' }).waitFor();
  await page.screenshot({ path: shot('suppressions-dark'), fullPage: true });
  await page.getByLabel('Suppressions').getByRole('button', { name: 'Undo' }).click();
  await page.getByText('No suppressions: every flagged record raises an anomaly.').waitFor();
  expect(await api.get<Suppression[]>('/suppressions')).toEqual([]);

  // flagged again after the undo
  const undoneAt = Date.now();
  await sendRecords(target.service, target.sampleMessage, 2);
  await until(
    async () =>
      (
        await api.get<AnomalyPage>(
          `/anomalies?service=${target.service}&templateId=${encodeURIComponent(target.templateId)}&from=${undoneAt}`,
        )
      ).total === 2,
    'records flagged again after the undo',
  );

  await open(`&incident=${target.id}&theme=light`);
  // (the harness serves no icon files: the expander icon has no size, so the click is dispatched)
  await page.getByRole('button', { name: 'Toggle row expanded' }).first().dispatchEvent('click');
  await page.getByLabel(`Incident ${target.id}`).getByLabel('Incident anomalies').waitFor();
  await page.screenshot({ path: shot('expanded-light'), fullPage: true });
});

test('a window incident → its anomaly → template counts against their usual range', async () => {
  const incidents = await api.get<IncidentPage>('/incidents?limit=500');
  // a window the count models flagged whose explanation lists counts out of range
  let target: IncidentPage['items'][number] | undefined;
  let record: AnomalyDetail | undefined;
  for (const i of incidents.items.filter((x) => x.detectors.some((d) => d.endsWith('/window')))) {
    const { records } = await api.get<IncidentDetail>(`/incidents/${i.id}`);
    for (const r of records) {
      const d = await api.get<AnomalyDetail>(`/anomalies/${r.id}`);
      if ((d.explanation.counts?.length ?? 0) > 0 && !target) {
        target = i;
        record = d;
      }
    }
    if (target) break;
  }
  expect(record).toBeDefined();
  const counts = record!.explanation.counts!;

  await open(`&incident=${target!.id}`);
  await page.getByRole('button', { name: 'Toggle row expanded' }).first().dispatchEvent('click');
  const expanded = page.getByLabel(`Incident ${target!.id}`);
  await expanded.getByLabel('Incident anomalies').waitFor();
  await expanded.getByRole('button', { name: record!.message }).first().click();
  await waitForDrawerOpen(page);
  const table = page.getByRole('table', { name: 'Template counts against their usual range' });
  await table.waitFor();
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  expect(rows).toHaveLength(counts.length);
  expect(rows[0][0]).toBe(counts[0].template);
  expect(rows[0][1]).toMatch(new RegExp(`^${counts[0].actual} [▲▼]$`));
  await page.screenshot({ path: shot('counts-dark') });
  await open(`&incident=${target!.id}&anomaly=${record!.id}&theme=light`);
  await waitForDrawerOpen(page);
  await table.waitFor();
  await page.screenshot({ path: shot('counts-light') });
});
