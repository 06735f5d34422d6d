import { test, expect, PROXY_API } from './fixtures';
import { ROUTES } from '../src/constants';
import { generateSyntheticHdfs } from '../../collector-processor/test/fixtures/synthetic-hdfs/generate';

// Against docker-compose.yaml: the processor learns on 300 records per service, and the demo injects
// anomalies from its third minute, so the first spec may wait a few minutes for data.
test.describe.configure({ mode: 'serial' });

test('anomalies: rows arrive, filter by service, open a drawer', async ({ gotoPage, page }) => {
  test.setTimeout(8 * 60_000);
  await expect(async () => {
    await gotoPage(`/${ROUTES.Anomalies}`);
    await expect(page.locator('tbody tr').first()).toBeVisible({ timeout: 5000 });
  }).toPass({ timeout: 7 * 60_000, intervals: [10_000] });

  await page.locator('#anomalies-service').click();
  await page.getByRole('option', { name: 'web', exact: true }).click();
  await expect(page).toHaveURL(/var-service=web/);
  await expect(page.locator('tbody tr').first()).toContainText('web');

  await page.locator('tbody tr').first().getByRole('button').first().click();
  await expect(page.getByText('Why it is anomalous')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Mark as normal' })).toBeVisible();
});

test('templates: the first service lists its templates', async ({ gotoPage, page }) => {
  await gotoPage(`/${ROUTES.Templates}`);
  await expect(page.locator('tbody tr').first()).toBeVisible();
});

test('models: a parameter is saved, and a training runs to done', async ({ gotoPage, page }) => {
  await gotoPage(`/${ROUTES.Models}`);
  await page.getByLabel('Window length (s)').fill('90');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved')).toBeVisible();
  const services = await (await page.request.get(`${PROXY_API}/services`)).json();
  const model = await (await page.request.get(`${PROXY_API}/services/${services[0].service}/model`)).json();
  expect(model.sessionKey.windowSeconds).toBe(90);

  await page.getByRole('button', { name: 'Train / retrain' }).click();
  // done says what it made (the processor's job message), never a bare 100 %
  await expect(page.getByText(/^Training done: version \d+/)).toBeVisible({ timeout: 60_000 });
});

test('benchmarks: an uploaded labeled log runs, with its table and curves', async ({ gotoPage, page }) => {
  const { log, labels } = generateSyntheticHdfs();
  await gotoPage(`/${ROUTES.Benchmarks}`);
  await page.locator('#benchmark-dataset').click();
  await page.getByRole('option', { name: 'Upload a labeled file' }).click();
  const files = page.locator('input[type=file]');
  await files.nth(0).setInputFiles({ name: 'hdfs.log', mimeType: 'text/plain', buffer: Buffer.from(log) });
  await files.nth(1).setInputFiles({ name: 'labels.csv', mimeType: 'text/csv', buffer: Buffer.from(labels) });
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByText('Run done 100 %')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('columnheader', { name: 'ROC-AUC' }).first()).toBeVisible();
  await expect(page.getByRole('img', { name: 'ROC chart' })).toBeVisible();
});
