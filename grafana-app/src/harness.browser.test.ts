/**
 * @jest-environment node
 */
import path from 'path';
import type { Server } from 'http';
import type { Browser, Page } from 'playwright-core';
import { startFakeApi } from '../harness/fakeApi';
import type { AppSettings } from '../harness/grafanaProxy';
import { APP_DIR, SHOTS, buildHarness, launchChromium, waitForDrawerOpen } from './test-utils/browser';

let browser: Browser;
let server: Server;
let origin: string;
let saved: () => unknown;
let settings: AppSettings;
let settingsPosts: unknown[];
let page: Page;

beforeAll(async () => {
  buildHarness(path.join(APP_DIR, 'harness', 'dist'));
  ({ server, origin, saved, settings, settingsPosts } = await startFakeApi());
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 120000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

const open = (name: string, query = '') => page.goto(`${origin}/?page=${name}${query}`);

test('configuration: Enter in the real form saves by POST and never puts the token in the URL', async () => {
  const visited: string[] = [];
  page.on('framenavigated', (frame) => frame === page.mainFrame() && visited.push(frame.url()));
  await open('config');
  await page.locator('#config-api-url').fill('http://anomalog:8080');
  await page.locator('#config-api-key').fill('s3cret-token');
  await page.locator('#config-api-key').press('Enter');
  // saved, then reloaded (how Grafana's app settings reach the pages): the token shows as configured
  await page.getByRole('button', { name: 'Reset' }).waitFor();
  expect(settingsPosts).toHaveLength(1);
  expect(settings).toEqual({
    jsonData: { processorUrl: 'http://anomalog:8080' },
    secureJsonData: { apiToken: 's3cret-token' },
  });
  for (const url of [page.url(), ...visited]) {
    expect(url).not.toMatch(/s3cret|apiToken|processorUrl/);
  }
  await expect(page.locator('#config-api-url').inputValue()).resolves.toBe('http://anomalog:8080');

  // the Loki data source for Explore, picked from Grafana's Loki data sources, saved with the button
  await page.locator('#config-loki-datasource').click();
  expect(await page.getByRole('option').allTextContents()).toEqual(['Loki (annotated logs)', 'Loki archive']);
  await page.getByRole('option', { name: 'Loki archive' }).click();
  await page.getByRole('button', { name: 'Save API settings' }).click();
  await page.getByText('Loki archive').waitFor();
  await page.waitForFunction(() => document.readyState === 'complete');
  expect(settingsPosts).toHaveLength(2);
  // the stored token was left untouched, so it is not sent again
  expect(settingsPosts[1]).not.toHaveProperty('secureJsonData');
  expect(settings.jsonData).toEqual({
    processorUrl: 'http://anomalog:8080',
    lokiDatasourceUid: 'harness-loki-archive',
  });
  expect(settings.secureJsonData.apiToken).toBe('s3cret-token');
  for (const url of [page.url(), ...visited]) {
    expect(url).not.toMatch(/s3cret|apiToken|processorUrl/);
  }
  await page.screenshot({ path: path.join(SHOTS, 'config-dark.png') });
  await open('config', '&theme=light');
  await page.getByText('Loki archive').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'config-light.png') });
});

test('anomalies: loads, filters by service and opens a drawer', async () => {
  await open('anomalies');
  await page.getByText('Connection to <*> refused').first().waitFor({ timeout: 10000 });
  await page.getByRole('img', { name: 'Anomalies over time chart' }).waitFor();
  expect(await page.locator('tbody tr').count()).toBe(12);
  await page.getByLabel('Min score').fill('0.8');
  await page.getByLabel('Min score').press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 3, undefined, { timeout: 10000 });
  expect(new URL(page.url()).searchParams.get('var-minScore')).toBe('0.8');
  await page.screenshot({ path: path.join(SHOTS, 'anomalies.png') });
  await page.goto(`${origin}/?page=anomalies`);
  await page.getByRole('button', { name: 'Connection to <*> refused' }).first().click();
  await page.getByText('template t0 seen 40x more often than in training').waitFor();
  await waitForDrawerOpen(page);
  await page.screenshot({ path: path.join(SHOTS, 'anomaly-drawer.png') });
});

test('anomaly drawer: opened from its URL, with attributes, severity and Explore on the configured Loki', async () => {
  for (const theme of ['dark', 'light']) {
    await open('anomalies', `&anomaly=a0&theme=${theme}`);
    await waitForDrawerOpen(page);
    const attributes = page.getByRole('table', { name: 'Record attributes' });
    await expect(attributes.getByRole('row').allTextContents()).resolves.toEqual([
      'http.route/checkout',
      'log.template.idt0',
      'retries3',
    ]);
    await page.getByText('severity ERROR').waitFor();
    const href = await page.getByRole('link', { name: 'Open in Explore' }).getAttribute('href');
    const pane = JSON.parse(new URL(href!, origin).searchParams.get('panes')!).a;
    // the data source the configuration test above saved
    expect(pane.datasource).toBe('harness-loki-archive');
    expect(pane.queries[0].expr).toBe('{service_name="payments"} | log_template_id="t0"');
    await page.screenshot({ path: path.join(SHOTS, `anomaly-drawer-details-${theme}.png`) });
  }
  // closing it removes the anomaly from the URL; the filters stay
  // (its icon is not served here, so the button has no size to click at)
  await page.getByRole('button', { name: 'Close' }).dispatchEvent('click');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('anomaly'));
  expect(new URL(page.url()).searchParams.get('page')).toBe('anomalies');
});

test('models: a changed parameter is saved', async () => {
  await open('models');
  const field = page.getByLabel('Window length (s)');
  await field.fill('90');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved').waitFor();
  expect((saved() as { sessionKey: { windowSeconds: number } }).sessionKey.windowSeconds).toBe(90);
  await page.screenshot({ path: path.join(SHOTS, 'models.png'), fullPage: true });
});

test('models: the summary says which detectors run and why the LSTM does not; detectors grouped', async () => {
  for (const theme of ['dark', 'light']) {
    await open('models', `&theme=${theme}`);
    const summary = page.getByRole('region', { name: 'Model summary' });
    await summary.getByText(/^Active version 1, trained .* on 9,000 records/).waitFor();
    await summary.getByText(/^Scoring with: Isolation Forest, One-class SVM, Local Outlier Factor/).waitFor();
    await summary.getByText(/LSTM \(DeepLog\) is enabled but does not run: sessions are time windows/).waitFor();
    const detectors = page.getByRole('region', { name: 'Detectors' });
    // the autoencoder (disabled) is collapsed: its settings are not rendered
    expect(await detectors.getByLabel('Hidden layer sizes').count()).toBe(0);
    await detectors.getByLabel('Trees').waitFor();
    await page.screenshot({ path: path.join(SHOTS, `models-summary-${theme}.png`), fullPage: true });
  }
});

test('benchmarks: a run shows its table and curves', async () => {
  await open('benchmarks');
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await page.getByRole('cell', { name: '0.874', exact: true }).waitFor();
  await page.getByRole('img', { name: 'ROC chart' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'benchmarks.png'), fullPage: true });
});

test('benchmarks: charts with axes, diagonal, AUC and operating point; another threshold read off the curves', async () => {
  for (const theme of ['dark', 'light']) {
    await open('benchmarks', `&theme=${theme}`);
    await page.locator('#benchmark-name').fill('HDFS mini, IF');
    await page.getByRole('button', { name: 'Run benchmark' }).click();
    await page.getByText('HDFS mini, IF: Run done 100 %').waitFor();
    const roc = page.getByRole('img', { name: 'ROC chart' });
    expect(await roc.getByTestId('tick').count()).toBe(5);
    await roc.getByTestId('diagonal').waitFor({ state: 'attached' });
    await page
      .getByRole('list', { name: 'ROC legend' })
      .getByText('isolation-forest: ROC-AUC 0.950, ● at threshold (0.01, 0.84)')
      .waitFor();
    // at recall 0.80 the PR curve's best precision is 0.9 (its point at recall 0.8)
    const explorer = page.getByRole('region', { name: 'Threshold explorer' });
    const cells = () => explorer.locator('tbody tr').first().locator('td').allTextContents();
    expect((await cells()).slice(2, 4)).toEqual(['0.900', '0.847']);
    // one step right past 0.8: only the curve's last point (recall 1, precision 0.3) reaches it
    await explorer.getByRole('slider').focus();
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('ArrowRight');
    }
    await explorer.getByText('Recall to reach: 0.85').waitFor();
    expect((await cells()).slice(2, 4)).toEqual(['0.300', '0.462']);
    await page.screenshot({ path: path.join(SHOTS, `benchmarks-charts-${theme}.png`), fullPage: true });
  }
});

test('templates: shows the empty state with a message', async () => {
  await open('templates');
  await page.getByText('No data yet').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'templates.png') });
});
