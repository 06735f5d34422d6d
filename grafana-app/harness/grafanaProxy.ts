/**
 * What Grafana's app data proxy does with this plugin's plugin.json `routes` (pkg/api/pluginproxy:
 * the first route whose method fits and whose path matches, "a" exactly or "a/*" as a prefix; its
 * reqRole checked against the user's org role; the URL and headers templated from the app's
 * jsonData/secureJsonData), so the harness exercises the real route definitions.
 */
import { readFileSync } from 'fs';
import path from 'path';

export type OrgRole = 'Viewer' | 'Editor' | 'Admin';

export interface ProxyRoute {
  path: string;
  method?: string;
  reqRole?: OrgRole;
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

/** The app's settings as Grafana stores them (secureJsonData decrypted server-side only). */
export interface AppSettings {
  jsonData: Record<string, string>;
  secureJsonData: Record<string, string>;
}

const plugin = JSON.parse(readFileSync(path.join(__dirname, '..', 'src', 'plugin.json'), 'utf8')) as {
  id: string;
  routes: ProxyRoute[];
};

export const PLUGIN_ID = plugin.id;
export const PLUGIN_ROUTES: readonly ProxyRoute[] = plugin.routes;
/** Where the browser calls the app's routes: /api/plugin-proxy/<app id>/<route path>... */
export const PLUGIN_PROXY_PREFIX = `/api/plugin-proxy/${plugin.id}/`;

const RANK: Record<OrgRole, number> = { Viewer: 0, Editor: 1, Admin: 2 };

/** The route for a request and the rest of the path after the route's own. */
export function matchRoute(
  routes: readonly ProxyRoute[],
  method: string,
  proxyPath: string,
): { route: ProxyRoute; rest: string } | undefined {
  const wanted = proxyPath.replace(/^\/+/, '');
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method !== method) {
      continue;
    }
    if (route.path.endsWith('/*')) {
      const base = route.path.slice(0, -2);
      if (wanted === base || wanted.startsWith(`${base}/`)) {
        return { route, rest: wanted.slice(base.length + 1) };
      }
    } else if (wanted === route.path) {
      return { route, rest: '' };
    }
  }
  return undefined;
}

export function allowed(route: ProxyRoute, role: OrgRole): boolean {
  return !route.reqRole || RANK[role] >= RANK[route.reqRole];
}

/** Grafana's Go-template subset used in routes: {{ .JsonData.key }} and {{ .SecureJsonData.key }}. */
export function interpolate(template: string, settings: AppSettings): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_m, kind: string, key: string) =>
    String((kind === 'JsonData' ? settings.jsonData : settings.secureJsonData)[key] ?? ''),
  );
}
