import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
/** The proxy route (plugin.json `routes`): Grafana adds the token server-side. */
export const PROXY_BASE = `/api/plugins/${pluginJson.id}/resources/processor`;

export enum ROUTES {
  Anomalies = 'anomalies',
  Templates = 'templates',
  Models = 'models',
  Benchmarks = 'benchmarks',
}

/**
 * The processor's own rule for templates never seen in training (collector-processor/src/lifecycle/
 * service-model.ts UNSEEN_DETECTOR): anomalies carry it as their detector next to the trained ones.
 */
export const UNSEEN_DETECTOR = 'unseen-template';
