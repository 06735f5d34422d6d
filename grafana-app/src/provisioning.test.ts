/**
 * The provisioning shipped with the stack (../provisioning) against what the app and processor really
 * use: the Loki query on the attribute the processor writes, the $service variable in every
 * per-service query, links into the app with its URL keys, and alerting that leaves the org's
 * notification policy tree alone.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { ATTR } from '@anomalog/shared';
import { lokiMetadataName } from './components/anomalies/explore';
import { filtersFromSearch } from './state/anomalyFilters';
import appPlugin from './plugin.json';
import panelPlugin from './panels/log-anomalies/plugin.json';

const PROVISIONING = path.join(__dirname, '..', '..', 'provisioning');
const read = (file: string) => readFileSync(path.join(PROVISIONING, file), 'utf8');

type Target = { expr: string; datasource: { type: string; uid: string } };
type Panel = {
  type: string;
  title: string;
  options?: Record<string, unknown>;
  targets?: Target[];
  fieldConfig?: { defaults: { links?: Array<{ url: string }> } };
};
const dashboard = JSON.parse(read('dashboards/json/anomalog-overview.json')) as {
  panels: Panel[];
  links: Array<{ url: string; keepTime: boolean; includeVars: boolean }>;
  templating: { list: Array<{ name: string; includeAll: boolean; datasource: { uid: string } }> };
};
const datasources = parse(read('datasources/datasources.yaml')).datasources as Array<{ uid: string; type: string }>;

test('the panel asks Grafana for no data query (no empty Query tab) and declares the app range', () => {
  expect(panelPlugin.skipDataQuery).toBe(true);
  expect(panelPlugin.dependencies.grafanaDependency).toBe(appPlugin.dependencies.grafanaDependency);
});

test('the overview dashboard: a $service variable, used by the anomalies panel and every per-service query', () => {
  const service = dashboard.templating.list.find((v) => v.name === 'service')!;
  expect(service.includeAll).toBe(true);
  expect(datasources.map((d) => d.uid)).toContain(service.datasource.uid);
  expect(dashboard.panels.find((p) => p.type === panelPlugin.id)?.options?.service).toBe('$service');
  const perService = dashboard.panels
    .flatMap((p) => p.targets ?? [])
    .filter((t) => t.datasource.type === 'prometheus' && /by \(service\)/.test(t.expr));
  expect(perService.length).toBeGreaterThan(0);
  for (const target of perService) {
    expect(target.expr).toMatch(/\{service=~"\$service"\}/);
  }
});

test('a Loki logs panel lists the lines the processor annotated as anomalous', () => {
  const logs = dashboard.panels.find((p) => p.type === 'logs')!;
  const [target] = logs.targets!;
  expect(datasources).toContainEqual(expect.objectContaining({ uid: target.datasource.uid, type: 'loki' }));
  expect(target.expr).toContain('{service_name=~"$service"}');
  expect(target.expr).toContain(`| ${lokiMetadataName(ATTR.isAnomaly)}="true"`);
});

test('links into the app carry the range and service in the keys the app reads', () => {
  const anomalies = dashboard.links.find((l) => l.url.endsWith('/anomalies'))!;
  expect(anomalies.url).toBe(`/a/${appPlugin.id}/anomalies`);
  // keepTime adds from/to and includeVars var-service: the Anomalies page's own URL keys
  expect(anomalies).toMatchObject({ keepTime: true, includeVars: true });
  expect(filtersFromSearch({ from: 'now-1h', to: 'now', 'var-service': 'web' })).toMatchObject({
    from: 'now-1h',
    service: 'web',
  });
  const dataLinks = dashboard.panels.flatMap((p) => p.fieldConfig?.defaults.links ?? []);
  expect(dataLinks.length).toBeGreaterThan(0);
  for (const link of dataLinks) {
    expect(link.url).toMatch(
      new RegExp(`^/a/${appPlugin.id}/anomalies\\?var-service=\\$\\{__field\\.labels\\.service\\}`),
    );
  }
});

test('the provisioned app settings name the provisioned Loki data source', () => {
  const [app] = parse(read('plugins/anomalog.yaml')).apps as Array<{ jsonData: Record<string, string> }>;
  expect(datasources).toContainEqual(expect.objectContaining({ uid: app.jsonData.lokiDatasourceUid, type: 'loki' }));
});

test('alerting: no notification policy tree (it would replace the org one); every rule labelled for routing', () => {
  const alerting = parse(read('alerting/anomalog-alerts.yaml'));
  expect(alerting).not.toHaveProperty('policies');
  const rules = alerting.groups.flatMap((g: { rules: unknown[] }) => g.rules) as Array<{
    labels: Record<string, string>;
  }>;
  expect(rules.length).toBeGreaterThan(0);
  for (const rule of rules) {
    expect(rule.labels.source).toBe('anomalog');
  }
});
