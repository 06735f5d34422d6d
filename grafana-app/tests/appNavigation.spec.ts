import { test, expect } from './fixtures';
import { ROUTES } from '../src/constants';

// Runs against a real Grafana (docker compose up) with the processor reachable at the provisioned URL.
test.describe('navigating the app', () => {
  test('the anomalies page renders its filter and a table, or an actionable state', async ({ gotoPage, page }) => {
    await gotoPage(`/${ROUTES.Anomalies}`);
    await expect(page.getByPlaceholder('Filter by service')).toBeVisible();
    await expect(page.getByText(/Time|No data yet|Cannot reach/).first()).toBeVisible();
  });
});
