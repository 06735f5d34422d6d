import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
/**
 * The app's data-proxy route (plugin.json `routes`, path `processor/*`): Grafana forwards
 * /api/plugin-proxy/<app id>/processor/<rest> to <processorUrl>/<rest>, adding the token server-side.
 * (/api/plugins/<id>/resources/... is for plugins with a backend component, which this app has not.)
 */
export const PROXY_BASE = `/api/plugin-proxy/${pluginJson.id}/processor`;

export enum ROUTES {
  Anomalies = 'anomalies',
  Templates = 'templates',
  Models = 'models',
  Benchmarks = 'benchmarks',
}
