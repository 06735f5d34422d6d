import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { readFileSync } from 'fs';
import path from 'path';
import {
  allowed,
  interpolate,
  matchRoute,
  PLUGIN_PROXY_PREFIX,
  PLUGIN_ID,
  PLUGIN_ROUTES,
  type AppSettings,
  type OrgRole,
} from './grafanaProxy';

/** Grafana's plugin settings API for this app (GET and POST /api/plugins/<id>/settings). */
export const SETTINGS_PATH = `/api/plugins/${PLUGIN_ID}/settings`;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"></head><body><div id="root"></div><script src="/harness.js"></script></body></html>`;

/** Serves the harness page and its bundle; false when the request is for something else. */
export function serveHarness(req: IncomingMessage, res: ServerResponse, distDir = path.join(__dirname, 'dist')) {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/harness.js') {
    res.setHeader('content-type', 'text/javascript');
    res.end(readFileSync(path.join(distDir, 'harness.js')));
    return true;
  }
  if (url.pathname === '/') {
    res.setHeader('content-type', 'text/html');
    res.end(PAGE);
    return true;
  }
  return false;
}

export function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    }),
  );
}

/**
 * What Grafana does with the app's settings: GET answers jsonData and which secure fields are set
 * (never their values); POST replaces jsonData and sets the secureJsonData keys it carries. Records
 * every POST so a test can check what the config page sent. False when the request is not for it.
 */
export function servePluginSettings(
  req: IncomingMessage,
  res: ServerResponse,
  settings: AppSettings,
  posts: unknown[],
): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== SETTINGS_PATH) {
    return false;
  }
  if (req.method === 'POST') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const update = JSON.parse(body || '{}') as Partial<AppSettings> & { enabled?: boolean };
      posts.push(update);
      settings.jsonData = (update.jsonData as Record<string, string>) ?? settings.jsonData;
      Object.assign(settings.secureJsonData, update.secureJsonData ?? {});
      answer(res, 200, 'Plugin settings updated');
    });
    return true;
  }
  const secureJsonFields = Object.fromEntries(Object.keys(settings.secureJsonData).map((k) => [k, true]));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: PLUGIN_ID, type: 'app', enabled: true, jsonData: settings.jsonData, secureJsonFields }));
  return true;
}

function answer(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message }));
}

/**
 * The harness page plus Grafana's app data proxy for this plugin's routes (see grafanaProxy.ts): the
 * browser calls /api/plugin-proxy/anomalog-app/processor/...; this server picks the route, checks
 * the user's role, and forwards to the templated URL with the templated headers (the bearer token),
 * so the token never reaches the browser.
 */
export async function startProxyHarness(opts: { settings: AppSettings; role?: OrgRole; distDir: string }) {
  const role = opts.role ?? 'Admin';
  const forwarded: Array<{ method: string; path: string; status: number }> = [];
  const settingsPosts: unknown[] = [];
  const server = createServer((req, res) => {
    if (serveHarness(req, res, opts.distDir) || servePluginSettings(req, res, opts.settings, settingsPosts)) {
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith(PLUGIN_PROXY_PREFIX)) {
      return answer(res, 404, 'not found');
    }
    const method = req.method ?? 'GET';
    const match = matchRoute(PLUGIN_ROUTES, method, url.pathname.slice(PLUGIN_PROXY_PREFIX.length));
    if (!match) {
      return answer(res, 404, 'plugin route match not found');
    }
    if (!allowed(match.route, role)) {
      return answer(res, 403, 'plugin proxy route access denied');
    }
    const target = new URL(interpolate(match.route.url, opts.settings));
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: target.host };
    delete headers.cookie;
    for (const h of match.route.headers ?? []) {
      headers[h.name.toLowerCase()] = interpolate(h.content, opts.settings);
    }
    const targetPath = `${target.pathname.replace(/\/$/, '')}/${match.rest}${url.search}`;
    const out = httpRequest(
      { host: target.hostname, port: target.port, method, path: targetPath, headers },
      (upstream) => {
        forwarded.push({ method, path: targetPath, status: upstream.statusCode ?? 0 });
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    out.on('error', () => answer(res, 502, 'processor unreachable'));
    req.pipe(out);
  });
  return { server, origin: await listen(server), forwarded, settingsPosts };
}
