import { test, expect } from './fixtures';

// The nested panel on a new dashboard: each mode renders from the processor's anomalies (or says why not).
test('the Log anomalies panel renders its timeline, heatmap and table modes', async ({ panelEditPage }) => {
  await panelEditPage.setVisualization('Log anomalies');
  const panel = panelEditPage.panel.locator;
  const options = panelEditPage.getCustomOptions('Log anomalies');
  await options.getSliderInput('Min score').fill('0');
  await expect(
    panel.getByRole('img', { name: 'Anomalies over time chart' }).or(panel.getByText('No data yet')),
  ).toBeVisible();

  await options.getRadioGroup('Mode').check('Score heatmap');
  await expect(
    panel.getByRole('img', { name: 'Anomaly score heatmap' }).or(panel.getByText('No data yet')),
  ).toBeVisible();

  await options.getRadioGroup('Mode').check('Table');
  await expect(panel.getByRole('table').or(panel.getByText('No data yet'))).toBeVisible();
});
