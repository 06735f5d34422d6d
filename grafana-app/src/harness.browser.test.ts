/**
 * @jest-environment node
 */
import path from 'path';
import type { Server } from 'http';
import type { Browser, Page } from 'playwright-core';
import { startFakeApi } from '../harness/fakeApi';
import { APP_DIR, SHOTS, buildHarness, launchChromium, waitForDrawerOpen } from './test-utils/browser';

let browser: Browser;
let server: Server;
let origin: string;
let saved: () => unknown;
let page: Page;

beforeAll(async () => {
  buildHarness(path.join(APP_DIR, 'harness', 'dist'));
  ({ server, origin, saved } = await startFakeApi());
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 120000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

const open = (name: string) => page.goto(`${origin}/?page=${name}`);

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

test('models: a changed parameter is saved', async () => {
  await open('models');
  const field = page.getByLabel('Window length (s)');
  await field.fill('90');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved').waitFor();
  expect((saved() as { sessionKey: { windowSeconds: number } }).sessionKey.windowSeconds).toBe(90);
  await page.screenshot({ path: path.join(SHOTS, 'models.png'), fullPage: true });
});

test('benchmarks: a run shows its table and curves', async () => {
  await open('benchmarks');
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await page.getByText('0.874').waitFor();
  await page.getByRole('img', { name: 'ROC chart' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'benchmarks.png'), fullPage: true });
});

test('templates: shows the empty state with a message', async () => {
  await open('templates');
  await page.getByText('No data yet').waitFor();
  await page.screenshot({ path: path.join(SHOTS, 'templates.png') });
});
