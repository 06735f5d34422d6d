import { AppConfigPage, AppPage, test as base } from '@grafana/plugin-e2e';
import pluginJson from '../src/plugin.json';
import { PROXY_BASE } from '../src/constants';

/** The processor as docker-compose.yaml runs it (override for another stack). */
export const PROCESSOR_URL = process.env.ANOMALOG_PROCESSOR_URL ?? 'http://anomalog:8080';
export const API_TOKEN = process.env.ANOMALOG_API_TOKEN ?? 'e2e-token';
/** The processor API through Grafana's plugin proxy route, as the app calls it. */
export const PROXY_API = `${PROXY_BASE}/api/v1`;

type AppTestFixture = {
  appConfigPage: AppConfigPage;
  gotoPage: (path?: string) => Promise<AppPage>;
};

export const test = base.extend<AppTestFixture>({
  appConfigPage: async ({ gotoAppConfigPage }, use) => {
    const configPage = await gotoAppConfigPage({
      pluginId: pluginJson.id,
    });
    await use(configPage);
  },
  gotoPage: async ({ gotoAppPage }, use) => {
    await use((path) =>
      gotoAppPage({
        path,
        pluginId: pluginJson.id,
      }),
    );
  },
});

export { expect } from '@grafana/plugin-e2e';
