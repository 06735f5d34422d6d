/**
 * @jest-environment node
 */
/*
 * The app's pages in Chromium against the REAL processor (startAnomalog in a child process, fed with
 * the demo's three services over OTLP/gRPC by the OTel SDK; see harness/realProcessor.ts). The
 * harness server stands in for Grafana's plugin proxy route: it adds the API token server-side.
 */
import path from 'path';
import type { Server } from 'http';
import type { Browser, Page } from 'playwright-core';
import type {
  AnomalyDetail,
  AnomalyPage,
  BenchmarkRun,
  ModelConfig,
  ModelVersion,
  ServiceSummary,
  TemplateInfo,
} from '@anomalog/shared';
import { generateSyntheticHdfs } from '../../collector-processor/test/fixtures/synthetic-hdfs/generate';
import { startProxyHarness } from '../harness/serve';
import { APP_DIR, SHOTS, buildHarness, launchChromium, waitForDrawerOpen } from './test-utils/browser';
import { startRealProcessor, until, type RealProcessor } from './test-utils/realProcessor';

// under dist/ (ignored by git, eslint and prettier), apart from the fake-API test's bundle in dist/
const DIST = path.join(APP_DIR, 'harness', 'dist', 'real');
const shot = (name: string) => path.join(SHOTS, `real-${name}.png`);

// Room for a loaded CI machine (2 cores shared with other suites): trainings and benchmarks run for real.
jest.setTimeout(60000);

let api: RealProcessor;
let browser: Browser;
let server: Server;
let origin: string;
let forwarded: Array<{ method: string; path: string; status: number }>;
let page: Page;

const apiGet = <T>(p: string) => api.get<T>(p);

/** The app's settings as provisioned in Grafana: the processor URL and (secure) token. */
const settings = (processorUrl = api.api, apiToken = api.token) => ({
  jsonData: { processorUrl },
  secureJsonData: { apiToken },
});

const rows = () => page.locator('tbody tr');
const waitRows = (n: number) =>
  page.waitForFunction((count) => document.querySelectorAll('tbody tr').length === count, n, { timeout: 15000 });

beforeAll(async () => {
  buildHarness(DIST);
  api = await startRealProcessor();
  ({ server, origin, forwarded } = await startProxyHarness({ settings: settings(), distDir: DIST }));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 180000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  await api?.stop();
});

const open = (name: string, query = '') => page.goto(`${origin}/?page=${name}${query}`);

test('anomalies: the demo services anomalies, filtered by service in the UI', async () => {
  const all = await apiGet<AnomalyPage>('/anomalies?limit=1000');
  const web = await apiGet<AnomalyPage>('/anomalies?service=web&limit=1000');
  expect(all.total).toBeGreaterThan(web.total);
  expect(web.total).toBeGreaterThan(0);
  await open('anomalies', '&view=records');
  await waitRows(Math.min(all.total, 25));
  await page.getByRole('img', { name: 'Anomalies over time chart' }).waitFor();
  await page.locator('#anomalies-service').click();
  await page.getByRole('option', { name: 'web', exact: true }).click();
  await waitRows(Math.min(web.total, 25));
  expect(new URL(page.url()).searchParams.get('var-service')).toBe('web');
  expect(await rows().first().textContent()).toContain('web');
  await page.screenshot({ path: shot('anomalies') });
  // the processor's unseen-template rule is a detector choice too
  const unseen = await apiGet<AnomalyPage>('/anomalies?service=web&detector=unseen-template&limit=1000');
  await page.locator('#anomalies-detector').click();
  await page.getByRole('option', { name: 'unseen-template', exact: true }).click();
  expect(new URL(page.url()).searchParams.get('var-detector')).toBe('unseen-template');
  await waitRows(Math.min(unseen.total, 25));
});

test('anomalies: a drawer shows the record, its context and explanation; mark as normal and suppress template are saved', async () => {
  const web = await apiGet<AnomalyPage>('/anomalies?service=web&sort=time&order=desc&limit=1');
  const detail = await apiGet<AnomalyDetail>(`/anomalies/${web.items[0].id}`);
  await open('anomalies', '&view=records&var-service=web');
  await waitRows(Math.min(web.total, 25));
  await rows().first().getByRole('button').first().click();
  await page.getByText(detail.explanation.reason).first().waitFor();
  await page.getByText(detail.context[0].message).first().waitFor();
  await waitForDrawerOpen(page);
  await page.screenshot({ path: shot('anomaly-drawer') });
  await page.getByRole('button', { name: 'Mark as normal' }).click();
  await page.getByText('Marked as normal').waitFor();
  expect((await apiGet<AnomalyDetail>(`/anomalies/${detail.id}`)).suppressed).toBe(true);
  await page.getByRole('button', { name: 'Suppress template' }).click();
  await page.getByText(/^Template suppressed/).waitFor();
  const templates = await apiGet<TemplateInfo[]>(`/services/web/templates`);
  expect(templates.find((t) => t.templateId === detail.templateId)?.suppressed).toBe(true);
  // The table lists them still, badged: as many as the API reports suppressed.
  const after = await apiGet<AnomalyPage>('/anomalies?service=web&limit=1000');
  const suppressed = after.items.filter((a) => a.suppressed).length;
  expect(suppressed).toBeGreaterThan(0);
  await open('anomalies', '&view=records&var-service=web');
  await waitRows(Math.min(after.total, 25));
  expect(await page.getByText('marked normal').count()).toBe(suppressed);
});

test('templates: the first service templates with counts; a suppressed one is marked', async () => {
  const [first] = await apiGet<Array<{ service: string }>>('/services');
  const templates = await apiGet<TemplateInfo[]>(`/services/${first.service}/templates`);
  expect(templates.length).toBeGreaterThan(0);
  await open('templates');
  await waitRows(templates.length);
  await page.getByText(templates[0].template).first().waitFor();
  await page.screenshot({ path: shot('templates'), fullPage: true });
  // web's template suppressed from the drawer above carries the badge
  await page.getByRole('combobox').click();
  await page.getByRole('option', { name: 'web', exact: true }).click();
  await page.getByText('marked normal').waitFor();
});

test('models: a changed parameter is saved, a training runs to done with a new version, roll back', async () => {
  const [first] = await apiGet<Array<{ service: string }>>('/services');
  await open('models');
  const field = page.getByLabel('Window length (s)');
  await field.fill('90');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved').waitFor();
  const config = await apiGet<ModelConfig>(`/services/${first.service}/model`);
  expect(config.sessionKey.windowSeconds).toBe(90);

  const before = await apiGet<ModelVersion[]>(`/services/${first.service}/versions`);
  await page.getByRole('button', { name: 'Train / retrain' }).click();
  await page.getByText(/^Training (queued|running|done)/).waitFor();
  // done says what it made: the new version and what does not run live (the processor's job message)
  await page.getByText(/^Training done: version \d+/).waitFor({ timeout: 30000 });
  const after = await apiGet<ModelVersion[]>(`/services/${first.service}/versions`);
  expect(after.length).toBe(before.length + 1);
  const made = after.find((v) => v.active)!;
  await page.getByText(`Training done: version ${made.version}`, { exact: false }).waitFor();
  await page.getByText(new RegExp(`^Active version ${made.version}, trained`)).waitFor();
  await waitRows(after.length);
  await page.screenshot({ path: shot('models'), fullPage: true });
  await page
    .locator('table')
    .last()
    .screenshot({ path: shot('models-versions') });

  // Roll back to the version that was active before the training.
  const previous = before.find((v) => v.active)!;
  await page.getByRole('button', { name: 'Roll back to this' }).first().click();
  const activeVersion = async () =>
    (await apiGet<ModelVersion[]>(`/services/${first.service}/versions`)).find((v) => v.active)?.version;
  await until(async () => (await activeVersion()) === previous.version, 'the rolled-back version to be active');
});

test('benchmarks: an uploaded labeled log runs, with its results table and curves, compared with an earlier run', async () => {
  expect(await apiGet<string[]>('/benchmarks/datasets')).toEqual([]);
  const { log, labels } = generateSyntheticHdfs();
  await open('benchmarks');
  const files = page.locator('input[type=file]');
  await files.nth(0).setInputFiles({ name: 'hdfs.log', mimeType: 'text/plain', buffer: Buffer.from(log) });
  await files.nth(1).setInputFiles({ name: 'labels.csv', mimeType: 'text/csv', buffer: Buffer.from(labels) });
  await page.getByLabel('lof', { exact: true }).check({ force: true });
  const runButton = page.getByRole('button', { name: 'Run benchmark' });
  await runButton.click();
  await page.getByText('Run done 100 %').waitFor({ timeout: 60000 });
  const [first] = await apiGet<BenchmarkRun[]>('/benchmarks');
  expect(first).toMatchObject({ dataset: 'upload', state: 'done', detectors: ['isolation-forest', 'lof'] });
  for (const r of first.results) {
    await page.getByText(r.roc_auc.toFixed(3)).first().waitFor();
  }
  await page.getByRole('img', { name: 'Precision-recall chart' }).waitFor();
  expect(await page.locator('svg[aria-label="ROC chart"] polyline').count()).toBe(2);
  await page.screenshot({ path: shot('benchmarks'), fullPage: true });

  // A second run (LOF alone), then the first one ticked for comparison: its curves join the chart.
  await page.getByLabel('isolation-forest', { exact: true }).uncheck({ force: true });
  await runButton.click();
  await page.waitForFunction(() => document.querySelectorAll('input[aria-label^="Compare run"]').length === 2);
  await page.getByText('Run done 100 %').waitFor({ timeout: 60000 });
  expect(await page.locator('svg[aria-label="ROC chart"] polyline').count()).toBe(1);
  await page.getByLabel(`Compare run ${first.id}`).check({ force: true });
  expect(await page.locator('svg[aria-label="ROC chart"] polyline').count()).toBe(3);
  await page.screenshot({ path: shot('benchmarks-compare'), fullPage: true });

  // A third run (every detector, the neural ones too: seconds of work) cancelled while it runs.
  for (const d of ['isolation-forest', 'one-class-svm', 'autoencoder', 'lstm']) {
    await page.getByLabel(d, { exact: true }).check({ force: true });
  }
  await runButton.click();
  await page.getByRole('button', { name: 'Cancel run' }).click();
  await page.getByText('The benchmark was cancelled').waitFor();
  const cancelled = (await apiGet<BenchmarkRun[]>('/benchmarks'))[0];
  expect(cancelled).toMatchObject({ state: 'failed', message: 'cancelled' });
  await page.screenshot({ path: shot('benchmarks-cancelled'), fullPage: true });

  // The first run deleted, after the confirmation (shown in both themes).
  await page.getByLabel(`Delete run ${first.id}`).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(/and its results\? This cannot be undone\./).waitFor();
  await page.screenshot({ path: shot('benchmarks-delete-dark') });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await until(
    async () => !(await apiGet<BenchmarkRun[]>('/benchmarks')).some((r) => r.id === first.id),
    'the first run to be deleted',
  );
  await page.getByLabel(`Compare run ${first.id}`).waitFor({ state: 'detached' });
  await open('benchmarks', '&theme=light');
  await page.getByLabel(`Delete run ${cancelled.id}`).click();
  await page
    .getByRole('dialog')
    .getByText(/and its results\?/)
    .waitFor();
  await page.screenshot({ path: shot('benchmarks-delete-light') });
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  expect((await apiGet<BenchmarkRun[]>('/benchmarks')).map((r) => r.id)).toContain(cancelled.id);
}, 180000);

test('the Log anomalies panel: timeline with annotations, score heatmap and table', async () => {
  const all = await apiGet<AnomalyPage>('/anomalies?limit=1000');
  await open('panel', '&mode=timeline&from=now-15m');
  await page.getByRole('img', { name: 'Anomalies over time chart' }).waitFor();
  // suppressed anomalies (the drawer test marked one normal) are not listed by the API
  expect(await page.getByTestId('marker-anomaly').count()).toBe(all.items.length);
  await page.screenshot({ path: shot('panel-timeline') });
  await open('panel', '&mode=heatmap&from=now-15m');
  await page.getByRole('img', { name: 'Anomaly score heatmap' }).waitFor();
  expect(await page.getByTestId('heat-cell').count()).toBeGreaterThan(0);
  await page.screenshot({ path: shot('panel-heatmap') });
  await open('panel', '&mode=table&service=worker');
  const worker = await apiGet<AnomalyPage>('/anomalies?service=worker&limit=1000');
  await waitRows(Math.min(worker.total, 50));
  await page.screenshot({ path: shot('panel-table') });
});

test('configuration: test connection reaches the processor through the proxy, token accepted', async () => {
  await open('config');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.getByText('Connection works').waitFor();
  await page.getByText(/token accepted, 4 service\(s\)/).waitFor();
});

test('the pages say what is wrong when the token is refused, the processor is down or the role may not write', async () => {
  const wrongToken = await startProxyHarness({ settings: settings(api.api, 'not-the-token'), distDir: DIST });
  const down = await startProxyHarness({ settings: settings('http://127.0.0.1:9'), distDir: DIST });
  const viewer = await startProxyHarness({ settings: settings(), role: 'Viewer', distDir: DIST });
  try {
    await page.goto(`${wrongToken.origin}/?page=anomalies`);
    await page.getByText('Unauthorised: the processor refused the API token').waitFor();
    await page.getByRole('link', { name: 'Open app configuration' }).waitFor();
    await page.screenshot({ path: shot('unauthorised') });
    await page.goto(`${down.origin}/?page=models`);
    await page.getByText('Processor unreachable').waitFor();
    expect(down.forwarded).toEqual([]); // nothing answered: the proxy itself reports 502
    // plugin.json's write routes need Editor: a Viewer reads, but saving a model is refused by the proxy
    await page.goto(`${viewer.origin}/?page=models`);
    await page.getByLabel('Window length (s)').fill('75');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Not allowed for your Grafana role').waitFor();
    expect(viewer.forwarded.every((f) => f.method === 'GET')).toBe(true);
  } finally {
    wrongToken.server.close();
    down.server.close();
    viewer.server.close();
  }
});

test('light theme', async () => {
  await open('anomalies', '&view=records&theme=light');
  await page.getByRole('img', { name: 'Anomalies over time chart' }).waitFor();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgb(17, 18, 23)'); // the dark theme's canvas
  await page.screenshot({ path: shot('anomalies-light') });
});

test('a service still learning: notices on the Anomalies and Models pages', async () => {
  const services = await apiGet<ServiceSummary[]>('/services');
  const learner = services.find((s) => s.service === api.learningService)!;
  expect(learner.status).toBe('learning');
  const percent = `${Math.round(learner.learningProgress * 100)} %`;
  await open('anomalies', '&view=records');
  await page.getByText('Model still learning').waitFor();
  await page.getByText(`${learner.service}: ${percent} of its learning window`).waitFor();
  await open('models');
  await page.getByRole('combobox').first().click();
  await page.getByRole('option', { name: learner.service, exact: true }).click();
  await page.getByText(`${percent} of the learning period done`).waitFor();
  await page.screenshot({ path: shot('models-learning') });
});

// Runs last: it checks what the tests above sent through the proxy (run the whole file, not one -t test).
test('every call the app made in these tests is in the processor OpenAPI document, all 18 client calls among them', async () => {
  // the OpenAPI document is behind the token like the rest of the API
  const spec = (await (
    await fetch(`${api.api}/openapi.json`, { headers: { authorization: `Bearer ${api.token}` } })
  ).json()) as { paths: Record<string, object> };
  const served = Object.entries(spec.paths).flatMap(([template, methods]) =>
    Object.keys(methods).map((m) => ({
      method: m.toUpperCase(),
      template,
      re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    })),
  );
  const used = new Set<string>();
  for (const call of forwarded) {
    const pathOnly = call.path.split('?')[0];
    const route = served.find((r) => r.method === call.method && r.re.test(pathOnly));
    expect(route ? 'served' : `${call.method} ${pathOnly} not in openapi.json`).toBe('served');
    used.add(`${call.method} ${route!.template}`);
  }
  // services, anomalies, anomaly, templates, feedback, model get/put, train, job, versions, activate,
  // benchmark datasets/runs/start/run/cancel/delete, health: every function of src/api/client.ts ran against the
  // real API, and the timeline's GET /aggregate (src/api/triage.ts; the triage calls are
  // src/harness.incidents.browser.test.ts's)
  expect([...used].sort()).toHaveLength(19);
  expect(used).toContain('GET /api/v1/aggregate');
  // and the real API accepted every one of them (no 4xx/5xx through the app's own flows)
  expect(forwarded.filter((call) => call.status >= 400)).toEqual([]);
});
