/**
 * @jest-environment node
 */
import { allowed, interpolate, matchRoute, PLUGIN_PROXY_PREFIX, PLUGIN_ROUTES } from '../harness/grafanaProxy';
import { PROXY_BASE } from './constants';

const settings = { jsonData: { processorUrl: 'http://anomalog:8080' }, secureJsonData: { apiToken: 's3cret' } };

describe('plugin.json data-proxy routes, matched as Grafana matches them', () => {
  test('the client calls the app data proxy under the processor route', () => {
    expect(PROXY_BASE).toBe(`${PLUGIN_PROXY_PREFIX}processor`);
  });

  test('every API path reaches the processor URL with the rest of the path and the bearer token', () => {
    for (const method of ['GET', 'POST', 'PUT']) {
      const match = matchRoute(PLUGIN_ROUTES, method, 'processor/api/v1/services/web/model')!;
      expect(match.rest).toBe('api/v1/services/web/model');
      expect(interpolate(match.route.url, settings)).toBe('http://anomalog:8080');
      expect(match.route.headers?.map((h) => [h.name, interpolate(h.content, settings)])).toEqual([
        ['Authorization', 'Bearer s3cret'],
      ]);
    }
  });

  test('reads are open to viewers, writes need Editor; other methods and paths match nothing', () => {
    const get = matchRoute(PLUGIN_ROUTES, 'GET', 'processor/api/v1/anomalies')!;
    const put = matchRoute(PLUGIN_ROUTES, 'PUT', 'processor/api/v1/services/web/model')!;
    expect(allowed(get.route, 'Viewer')).toBe(true);
    expect(allowed(put.route, 'Viewer')).toBe(false);
    expect(allowed(put.route, 'Editor')).toBe(true);
    // PATCH (incident status) and DELETE (undo a suppression) are writes too
    for (const method of ['PATCH', 'DELETE']) {
      const write = matchRoute(PLUGIN_ROUTES, method, 'processor/api/v1/suppressions/s1')!;
      expect(allowed(write.route, 'Viewer')).toBe(false);
      expect(allowed(write.route, 'Editor')).toBe(true);
    }
    expect(matchRoute(PLUGIN_ROUTES, 'OPTIONS', 'processor/api/v1/anomalies')).toBeUndefined();
    expect(matchRoute(PLUGIN_ROUTES, 'GET', 'processorx/api')).toBeUndefined();
  });

  test('a route path without /* matches only itself (why the route is "processor/*")', () => {
    const exact = [{ path: 'processor', url: 'http://x' }];
    expect(matchRoute(exact, 'GET', 'processor')).toBeDefined();
    expect(matchRoute(exact, 'GET', 'processor/api/v1/services')).toBeUndefined();
  });
});
