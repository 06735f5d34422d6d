// Browser harness: mounts the app's pages with Grafana runtime services (theme, BackendSrv) but no Grafana
// server. The BackendSrv sends the app's proxy-route calls to the harness server (see forward()).
import React from 'react';
import { createRoot } from 'react-dom/client';
import { from } from 'rxjs';
import {
  createTheme,
  LoadingState,
  PluginContextProvider,
  rangeUtil,
  type AppPluginMeta,
  type DataSourceInstanceSettings,
  type PanelData,
  type PanelProps,
} from '@grafana/data';
import {
  setBackendSrv,
  setDataSourceSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type DataSourceSrv,
} from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import { PROXY_BASE } from '../src/constants';
import { AnomaliesPage } from '../src/pages/Anomalies';
import { TemplatesPage } from '../src/pages/Templates';
import { ModelsPage } from '../src/pages/Models';
import { BenchmarksPage } from '../src/pages/Benchmarks';
import AppConfig, { type AppConfigProps } from '../src/components/AppConfig/AppConfig';
import type { AppSettings } from '../src/state/appSettings';
import { LogAnomaliesPanel } from '../src/panels/log-anomalies/LogAnomaliesPanel';
import { DEFAULT_OPTIONS, type Options, type PanelMode } from '../src/panels/log-anomalies/options';

const query = new URLSearchParams(window.location.search);
// Without ?api= requests go where Grafana's would (same origin, the harness server plays Grafana's
// data proxy); with it, the proxy-route prefix is swapped for that API origin.
const apiOrigin = query.get('api');

async function forward(request: BackendSrvRequest) {
  const url = new URL(apiOrigin ? request.url.replace(PROXY_BASE, apiOrigin) : request.url, window.location.origin);
  for (const [k, v] of Object.entries(request.params ?? {})) {
    url.searchParams.set(k, String(v));
  }
  const response = await fetch(url, {
    method: request.method ?? 'GET',
    headers: { 'content-type': 'application/json' },
    body: request.data === undefined ? undefined : JSON.stringify(request.data),
  });
  const data = await response.json().catch(() => undefined);
  if (!response.ok) {
    throw { status: response.status, data };
  }
  return { data, status: response.status, ok: true };
}

setBackendSrv({ fetch: (r: BackendSrvRequest) => from(forward(r)) } as unknown as BackendSrv);

/** The data sources of this pretend Grafana, for the config page's Loki picker. */
const DATA_SOURCES = [
  { uid: 'harness-loki', name: 'Loki (annotated logs)', type: 'loki' },
  { uid: 'harness-loki-archive', name: 'Loki archive', type: 'loki' },
  { uid: 'harness-prometheus', name: 'Prometheus', type: 'prometheus', isDefault: true },
].map((ds) => ({ ...ds, meta: { id: ds.type, name: ds.type, info: { logos: { small: '' } } } }));
setDataSourceSrv({
  getList: (filter: { type?: string } = {}) =>
    DATA_SOURCES.filter((ds) => !filter.type || ds.type === filter.type) as unknown as DataSourceInstanceSettings[],
  // like Grafana's: by uid or name, and the default data source for none
  getInstanceSettings: (ref: string | { uid?: string } | null | undefined) => {
    const key = typeof ref === 'string' ? ref : (ref?.uid ?? 'harness-prometheus');
    return DATA_SOURCES.find((ds) => ds.uid === key || ds.name === key);
  },
} as unknown as DataSourceSrv);

/** The app's plugin meta as Grafana hands it to the app's pages and config page (from its settings API). */
async function pluginMeta(): Promise<AppPluginMeta<AppSettings>> {
  const response = await fetch('/api/plugins/anomalog-app/settings');
  return (response.ok ? await response.json() : { id: 'anomalog-app', jsonData: {} }) as AppPluginMeta<AppSettings>;
}

/** The nested panel as a dashboard would render it: range ?from= (default now-6h) to now, options from ?mode=&service=&minScore=. */
function PanelHarness() {
  const timeRange = rangeUtil.convertRawToRange({ from: query.get('from') ?? 'now-6h', to: 'now' });
  const options: Options = {
    ...DEFAULT_OPTIONS,
    mode: (query.get('mode') as PanelMode) ?? DEFAULT_OPTIONS.mode,
    service: query.get('service') ?? '',
    minScore: Number(query.get('minScore') ?? 0),
  };
  const data = { state: LoadingState.Done, series: [], timeRange } as PanelData;
  const props = { options, timeRange, width: 1200, height: 320, data, replaceVariables: (v: string) => v };
  return <LogAnomaliesPanel {...(props as unknown as PanelProps<Options>)} />;
}

const pages: Record<string, React.ComponentType> = {
  panel: PanelHarness,
  anomalies: AnomaliesPage,
  templates: TemplatesPage,
  models: ModelsPage,
  benchmarks: BenchmarksPage,
};
const theme = createTheme({ colors: { mode: query.get('theme') === 'light' ? 'light' : 'dark' } });
document.body.style.background = theme.colors.background.primary;
document.body.style.color = theme.colors.text.primary;
document.body.style.fontFamily = theme.typography.fontFamily;

/** The page named by ?page=; the config page gets the plugin prop Grafana gives it. */
function Page({ meta }: { meta: AppPluginMeta<AppSettings> }) {
  const name = query.get('page') ?? 'anomalies';
  if (name === 'config') {
    return <AppConfig {...({ plugin: { meta }, query: {} } as unknown as AppConfigProps)} />;
  }
  const Component = pages[name] ?? AnomaliesPage;
  return <Component />;
}

pluginMeta().then((meta) =>
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={theme}>
      {/* Grafana's global stylesheet (resets, fonts, drawer and form styles) as Grafana itself mounts it. */}
      <GlobalStyles />
      <PluginContextProvider meta={meta}>
        <div style={{ padding: 16 }}>
          <Page meta={meta} />
        </div>
      </PluginContextProvider>
    </ThemeContext.Provider>,
  ),
);
