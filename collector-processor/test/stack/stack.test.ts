/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML/JSON documents are walked structurally; the assertions are the type checks. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { METRIC } from '@anomalog/shared';
import { loadConfig } from '../../src/config/load';
import { startProcessor } from '../../src/processor';
import pino from 'pino';

/** Static checks of the deployable stack: compose, Collector configs and Grafana provisioning agree. */
const root = resolve(__dirname, '../../..');
const readYaml = (rel: string): any => parse(readFileSync(join(root, rel), 'utf8'));
const compose = readYaml('docker-compose.yml');
const collector = readYaml('collector/collector.yaml');
const services = compose.services as Record<string, any>;

function pluginIds(): { app: string; panels: string[] } {
  const app = JSON.parse(readFileSync(join(root, 'grafana-app/src/plugin.json'), 'utf8'));
  const panelsDir = join(root, 'grafana-app/src/panels');
  const panels = existsSync(panelsDir)
    ? readdirSync(panelsDir).map((d) => JSON.parse(readFileSync(join(panelsDir, d, 'plugin.json'), 'utf8')).id)
    : [];
  return { app: app.id, panels };
}

function provisioningFiles(dir: string): string[] {
  return readdirSync(join(root, 'provisioning', dir)).filter((f) => /\.ya?ml$/.test(f));
}

function dashboards(): any[] {
  const dir = join(root, 'provisioning/dashboards/json');
  return readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}

/** Every `anomalog_*` metric name in a PromQL expression, with histogram suffixes stripped. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/anomalog_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));
}

function hostPort(endpoint: string): { host: string; port: string } {
  const m = /^(?:\w+:\/\/)?([^:/]+):(\d+)/.exec(endpoint);
  if (!m) throw new Error(`no host:port in ${endpoint}`);
  return { host: m[1], port: m[2] };
}

describe('docker-compose.yml', () => {
  test('pins every image to a version', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (!svc.image) continue;
      expect([name, svc.image]).toEqual([name, expect.stringMatching(/:[\w.-]+$/)]);
      expect(svc.image).not.toMatch(/:latest$/);
    }
  });

  test('mounts only paths that exist in the repo (the plugin build output excepted)', () => {
    for (const svc of Object.values(services)) {
      for (const vol of (svc.volumes ?? []) as string[]) {
        const src = vol.split(':')[0];
        if (!src.startsWith('./') || src === './grafana-app/dist' || src === './logs') continue;
        expect([src, existsSync(join(root, src))]).toEqual([src, true]);
      }
    }
    expect(existsSync(join(root, services.anomalog.build.dockerfile))).toBe(true);
  });

  test('depends_on names services that exist, and PostgreSQL is an optional profile', () => {
    for (const svc of Object.values(services)) {
      for (const dep of (svc.depends_on ?? []) as string[]) expect(Object.keys(services)).toContain(dep);
    }
    expect(services.postgres.profiles).toEqual(['postgres']);
  });

  test('Grafana mounts the plugin under its id and allows it unsigned', () => {
    const { app } = pluginIds();
    const g = services.grafana;
    expect(g.volumes).toContain(`./grafana-app/dist:/var/lib/grafana/plugins/${app}:ro`);
    expect(g.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(app);
  });
});

describe('Collector config', () => {
  const pipelines = collector.service.pipelines as Record<string, any>;

  test('every component a pipeline names is defined', () => {
    for (const p of Object.values(pipelines)) {
      for (const kind of ['receivers', 'processors', 'exporters']) {
        for (const c of p[kind] ?? []) expect([kind, c, c in (collector[kind] ?? {})]).toEqual([kind, c, true]);
      }
    }
  });

  test('logs go to the processor on the port it listens on, with a queue and retries', () => {
    const exp = collector.exporters['otlp/anomalog'];
    const { host, port } = hostPort(exp.endpoint);
    expect(host).toBe('anomalog');
    expect(services.anomalog.expose).toContain(port);
    expect(hostPort(services.anomalog.environment.ANOMALOG_RECEIVER_GRPC_ENDPOINT).port).toBe(port);
    expect(exp.sending_queue.enabled).toBe(true);
    expect(exp.retry_on_failure.enabled).toBe(true);
  });

  test('the processor sends annotated logs back to a receiver of the annotated pipeline', () => {
    const { host, port } = hostPort(services.anomalog.environment.ANOMALOG_EXPORTER_ENDPOINT);
    expect(host).toBe('collector');
    const receiver = pipelines['logs/annotated'].receivers[0];
    expect(hostPort(collector.receivers[receiver].protocols.grpc.endpoint).port).toBe(port);
    expect(pipelines['logs/in'].exporters).toEqual(['otlp/anomalog']);
    // Annotated logs must not loop back into the processor.
    expect(pipelines['logs/annotated'].exporters).not.toContain('otlp/anomalog');
  });

  test('Loki, Prometheus and the metrics scrape point at services and ports that exist', () => {
    expect(hostPort(collector.exporters['otlphttp/loki'].endpoint)).toEqual({ host: 'loki', port: '3100' });
    expect(hostPort(collector.exporters.prometheusremotewrite.endpoint)).toEqual({ host: 'prometheus', port: '9090' });
    expect(services.prometheus.command).toContain('--web.enable-remote-write-receiver');
    const target = collector.receivers.prometheus.config.scrape_configs[0].static_configs[0].targets[0];
    expect(target).toBe(`anomalog:${hostPort(services.anomalog.environment.ANOMALOG_TELEMETRY_ENDPOINT).port}`);
  });
});

describe('Grafana provisioning', () => {
  const datasources = provisioningFiles('datasources').flatMap(
    (f) => readYaml(`provisioning/datasources/${f}`).datasources,
  );
  const uids = new Set(datasources.map((d: any) => d.uid));
  const emitted = new Set<string>(Object.values(METRIC));

  test('data sources have fixed uids and point at compose services', () => {
    expect([...uids].sort()).toEqual(['anomalog-loki', 'anomalog-prometheus']);
    for (const ds of datasources) expect(Object.keys(services)).toContain(hostPort(ds.url).host);
  });

  test('the app is enabled with the processor URL and token from the environment', () => {
    const { app } = pluginIds();
    const apps = provisioningFiles('plugins').flatMap((f) => readYaml(`provisioning/plugins/${f}`).apps);
    const entry = apps.find((a: any) => a.type === app);
    expect(entry?.disabled).toBe(false);
    const env = services.grafana.environment;
    const urlVar = entry.jsonData.processorUrl.replace(/^\$/, '');
    const tokenVar = entry.secureJsonData.apiToken.replace(/^\$/, '');
    expect(hostPort(env[urlVar]).host).toBe('anomalog');
    expect(services.anomalog.expose).toContain(hostPort(env[urlVar]).port);
    expect(env[tokenVar]).toBeDefined();
  });

  test('the provisioned keys are the ones the plugin proxy route reads', () => {
    const plugin = readFileSync(join(root, 'grafana-app/src/plugin.json'), 'utf8');
    const apps = provisioningFiles('plugins').flatMap((f) => readYaml(`provisioning/plugins/${f}`).apps);
    const entry = apps.find((a: any) => a.type === pluginIds().app);
    const json = [...plugin.matchAll(/\.JsonData\.(\w+)/g)].map((m) => m[1]);
    const secure = [...plugin.matchAll(/\.SecureJsonData\.(\w+)/g)].map((m) => m[1]);
    expect(json.length + secure.length).toBeGreaterThan(0);
    for (const k of json) expect(Object.keys(entry.jsonData)).toContain(k);
    for (const k of secure) expect(Object.keys(entry.secureJsonData)).toContain(k);
  });

  test('the dashboard provider path is where the dashboards are mounted', () => {
    const prov = readYaml('provisioning/dashboards/dashboards.yaml').providers[0];
    expect(prov.options.path).toBe('/etc/grafana/provisioning/dashboards/json');
    expect(services.grafana.volumes).toContain('./provisioning:/etc/grafana/provisioning:ro');
  });

  test('the overview dashboard has the nested panel and only known uids and metric names', () => {
    const { panels } = pluginIds();
    const overview = dashboards().find((d) => d.title === 'Anomalog overview');
    expect(overview).toBeDefined();
    const nested = overview.panels.find((p: any) => p.title === 'Log anomalies');
    expect(panels).toContain(nested.type);
    const exprs: string[] = [];
    for (const p of overview.panels) {
      if (p.datasource) expect(uids).toContain(p.datasource.uid);
      for (const t of p.targets ?? []) exprs.push(t.expr);
    }
    expect(exprs.length).toBeGreaterThan(3);
    for (const name of exprs.flatMap(metricNames)) expect([name, emitted.has(name)]).toEqual([name, true]);
  });

  test('alert rules use known data sources and metric names, and route to the contact point', () => {
    const alerting = provisioningFiles('alerting').map((f) => readYaml(`provisioning/alerting/${f}`));
    const rules = alerting.flatMap((a) => a.groups ?? []).flatMap((g: any) => g.rules);
    expect(rules.length).toBeGreaterThan(0);
    const used: string[] = [];
    for (const rule of rules) {
      expect(rule.data.map((d: any) => d.refId)).toContain(rule.condition);
      for (const d of rule.data) {
        if (d.datasourceUid === '__expr__') continue;
        expect(uids).toContain(d.datasourceUid);
        used.push(...metricNames(d.model.expr));
      }
    }
    expect(used).toContain(METRIC.anomalies);
    for (const name of used) expect([name, emitted.has(name)]).toEqual([name, true]);
    const points = alerting.flatMap((a) => a.contactPoints ?? []).map((c: any) => c.name);
    for (const p of alerting.flatMap((a) => a.policies ?? [])) expect(points).toContain(p.receiver);
  });
});

describe('demo service', () => {
  test('runs the demo CLI towards the Collector receiver', () => {
    const cmd = services.demo.command as string[];
    // The image runs the production build: dist/X.js is compiled from src/X.ts.
    const script = cmd.find((c) => c.endsWith('.js'))!;
    expect(script).toMatch(/^collector-processor\/dist\/.*\.js$/);
    expect(existsSync(join(root, script.replace('/dist/', '/src/').replace(/\.js$/, '.ts')))).toBe(true);
    const endpoint = cmd.find((c) => c.startsWith('--endpoint='))!.slice('--endpoint='.length);
    expect(hostPort(endpoint).host).toBe('collector');
    expect(hostPort(collector.receivers.otlp.protocols.grpc.endpoint).port).toBe(hostPort(endpoint).port);
  });
});

describe('the processor as compose configures it', () => {
  test('every ANOMALOG_* variable in compose is a configuration key and the config loads', () => {
    const loaded = loadConfig({ argv: [], env: services.anomalog.environment });
    expect(loaded.unknownEnv).toEqual([]);
    expect(loaded.config.exporter.endpoint).toBe(services.anomalog.environment.ANOMALOG_EXPORTER_ENDPOINT);
  });

  test('the self-telemetry metrics the dashboard uses are registered by a running processor', async () => {
    const loaded = loadConfig({
      argv: [],
      env: {
        ANOMALOG_RECEIVER_GRPC_ENDPOINT: '127.0.0.1:0',
        ANOMALOG_RECEIVER_HTTP_ENDPOINT: '127.0.0.1:0',
        ANOMALOG_TELEMETRY_ENDPOINT: '127.0.0.1:0',
      },
    });
    const proc = await startProcessor(loaded.config, { logger: pino({ level: 'silent' }) });
    try {
      const text = await (await fetch(`http://${proc.telemetryAddress}/metrics`)).text();
      const live = new Set([...text.matchAll(/^# TYPE (anomalog_[a-z_]+)/gm)].map((m) => m[1]));
      const selfTelemetry = [
        METRIC.recordsReceived,
        METRIC.recordsExported,
        METRIC.recordsFailed,
        METRIC.exportLatency,
      ];
      for (const name of selfTelemetry) expect([name, live.has(name)]).toEqual([name, true]);
      // Whatever detection metrics are registered are the declared ones (names the dashboard can rely on).
      const declared = new Set<string>(Object.values(METRIC));
      for (const name of live) {
        if (name.startsWith('anomalog_anomal') || name.startsWith('anomalog_templates')) {
          expect([name, declared.has(name)]).toEqual([name, true]);
        }
      }
    } finally {
      await proc.close();
    }
  });
});
