import { test, expect } from './fixtures';

// The provisioned dashboard (provisioning/dashboards/json/log-anomalies-panel.json): the nested panel in
// its three modes, filtered by the dashboard's $service variable.
test('the provisioned dashboard renders the panel in each mode', async ({ gotoDashboardPage }) => {
  const dashboard = await gotoDashboardPage({ uid: 'anomalog-panel-modes' });
  const empty = 'No data yet';
  const timeline = dashboard.getPanelByTitle('Timeline').locator;
  await expect(
    timeline.getByRole('img', { name: 'Anomalies over time chart' }).or(timeline.getByText(empty)),
  ).toBeVisible();
  const heatmap = dashboard.getPanelByTitle('Score heatmap').locator;
  await expect(heatmap.getByRole('img', { name: 'Anomaly score heatmap' }).or(heatmap.getByText(empty))).toBeVisible();
  const table = dashboard.getPanelByTitle('Table').locator;
  await expect(table.getByRole('table').or(table.getByText(empty))).toBeVisible();
});
