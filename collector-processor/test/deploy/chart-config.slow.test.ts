/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests and values are walked structurally. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { Registry } from 'prom-client';
import { KEYS, loadConfig } from '../../src/config/load';
import { startTelemetryServer } from '../../src/telemetry/server';
import { SECRET_KEYS, valuesSchema } from '../../../deploy/tools/values-schema';
import { CONFIGMAPS } from '../../../deploy/grafana/provisioning-configmaps';
import { BUILD_TIMEOUT_MS, EXAMPLES, ROOT, buildTools, byKind, helm, one, podSpec, render } from './tools';

// This suite renders the chart with helm (built once) and runs the processor: slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(120_000);

/**
 * The config cross-check (test/stack/stack.test.ts) extended to Kubernetes: every port, path, environment
 * variable and configuration key that the chart, the sidecar/gateway recipes and the Grafana values use is
 * the one the processor's code reads or serves.
 */
beforeAll(buildTools, BUILD_TIMEOUT_MS);

const readYaml = (rel: string): any => parse(readFileSync(join(ROOT, rel), 'utf8'));
const portOf = (endpoint: string): number => Number(/:(\d+)(\/.*)?$/.exec(endpoint)![1]);
const hostOf = (endpoint: string): string => /^(?:\w+:\/\/)?([^:/]+)/.exec(endpoint)![1];
const ENV_KEYS = new Map(KEYS.map((k) => [k.env, k]));

/** The processor's configuration as the pod would load it: the ConfigMap's file plus the container's env. */
function loadAsPod(docs: any[], secretValues: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-chart-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, one(docs, 'ConfigMap').data['config.yaml']);
  const container = podSpec(docs).containers[0];
  expect(container.args).toEqual(['--config', '/etc/anomalog/config.yaml']);
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) env[e.name] = e.value ?? secretValues[e.name] ?? 'from-a-secret';
  return loadConfig({ argv: ['--config', file], env });
}

describe.each([['default values', []] as [string, string[]], ...EXAMPLES.map((f) => [f, [f]] as [string, string[]])])(
  '%s',
  (_name, files) => {
    let docs: any[];
    let loaded: ReturnType<typeof loadConfig>;
    beforeAll(() => {
      docs = render(files);
      loaded = loadAsPod(docs, { ANOMALOG_STORE_POSTGRES_URL: 'postgres://u:p@db:5432/anomalog' });
    });

    test('the processor loads the rendered config and env, with no unknown ANOMALOG_* variable', () => {
      expect(loaded.unknownEnv).toEqual([]);
      for (const e of podSpec(docs).containers[0].env ?? []) {
        if (e.name.startsWith('ANOMALOG_')) expect([e.name, ENV_KEYS.has(e.name)]).toEqual([e.name, true]);
      }
    });

    test('container ports, Service ports and scrape annotations are the endpoints the processor listens on', () => {
      const c = config(loaded);
      const ports = Object.fromEntries(podSpec(docs).containers[0].ports.map((p: any) => [p.name, p.containerPort]));
      expect(ports).toEqual({
        'otlp-grpc': portOf(c.receiver.grpc.endpoint),
        'otlp-http': portOf(c.receiver.http.endpoint),
        api: portOf(c.api.endpoint),
        metrics: portOf(c.telemetry.endpoint),
      });
      for (const svc of byKind(docs, 'Service')) {
        for (const p of svc.spec.ports)
          expect([svc.metadata.name, p.name, p.port]).toEqual([
            svc.metadata.name,
            p.name,
            ports[p.targetPort ?? p.name],
          ]);
      }
      for (const policy of byKind(docs, 'NetworkPolicy')) {
        const open = policy.spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port));
        expect(open.sort()).toEqual(Object.keys(ports).sort());
      }
      const annotations = workload(docs).spec.template.metadata.annotations;
      expect(annotations['prometheus.io/port']).toBe(String(portOf(c.telemetry.endpoint)));
      expect(annotations['prometheus.io/path']).toBe('/metrics');
      // The endpoints bind every interface: a pod is reached on its own IP, never on loopback.
      for (const e of [c.receiver.grpc.endpoint, c.receiver.http.endpoint, c.api.endpoint, c.telemetry.endpoint])
        expect(hostOf(e)).toBe('0.0.0.0');
    });

    test('metrics are scraped, not also pushed to a receiver that may have no metrics pipeline', () => {
      const c = config(loaded);
      const scraped = workload(docs).spec.template.metadata.annotations['prometheus.io/scrape'] === 'true';
      expect([c.telemetry.otlpMetricsIntervalS, scraped || byKind(docs, 'ServiceMonitor').length > 0]).toEqual([
        0,
        true,
      ]);
    });

    test('probes are on the telemetry port, and the API requires the token the Secret holds', () => {
      const c = podSpec(docs).containers[0];
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
      expect(config(loaded).api.auth).toBe('auto');
      expect(c.env.find((e: any) => e.name === 'ANOMALOG_API_TOKEN').valueFrom.secretKeyRef).toBeDefined();
    });

    test('the data volume is mounted at store.dataDir (sqlite), and the grace period covers the shutdown wait', () => {
      const c = config(loaded);
      const pod = podSpec(docs);
      const mounts = pod.containers[0].volumeMounts.map((m: any) => m.mountPath);
      if (c.store.kind === 'sqlite') expect(mounts).toContain(c.store.dataDir);
      else expect(mounts).not.toContain(c.store.dataDir);
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(c.telemetry.shutdownTimeoutMs);
    });

    test('the heap cap is the memory limit less the headroom bench:memory measured outside the heap', () => {
      const memory = JSON.parse(readFileSync(join(ROOT, 'bench/results/memory.json'), 'utf8'))[0];
      const values = { ...readYaml('deploy/helm/anomalog/values.yaml'), ...(files[0] ? readYaml(files[0]) : {}) };
      const c = podSpec(docs).containers[0];
      const heap = Number(/^--max-old-space-size=(\d+)$/.exec(c.command[1])![1]);
      const limit = mebibytes(c.resources.limits.memory);
      expect(heap).toBe(limit - values.heap.nativeHeadroomMiB);
      expect(values.heap.nativeHeadroomMiB).toBeGreaterThanOrEqual(memory.max_rss_mb - memory.heap_total_mb);
      expect(limit).toBeGreaterThanOrEqual(memory.max_rss_mb);
      expect(mebibytes(c.resources.requests.memory)).toBeGreaterThanOrEqual(memory.rss_mb);
    });
  },
);

function config(l: ReturnType<typeof loadConfig>): any {
  return l.config;
}
function workload(docs: any[]): any {
  return docs.find((d) => d.kind === 'StatefulSet' || d.kind === 'Deployment');
}
function mebibytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(q)!;
  const f: Record<string, number> = {
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    k: 1e3 / 2 ** 20,
    M: 1e6 / 2 ** 20,
    G: 1e9 / 2 ** 20,
  };
  return Math.floor(Number(m[1]) * (m[2] ? f[m[2]] : 1 / 2 ** 20));
}

test('the pod runs the same entry and heap flag as `npm start`, and the image exposes the chart ports', () => {
  const c = podSpec(render()).containers[0];
  const start: string = JSON.parse(readFileSync(join(ROOT, 'collector-processor/package.json'), 'utf8')).scripts.start;
  // npm start may build first (`… && node FLAGS dist/main.js`): the process it leaves running is the last command.
  const command =
    /^MALLOC_MMAP_THRESHOLD_=\$\{MALLOC_MMAP_THRESHOLD_:-(\d+)\} node --max-old-space-size=\S+ dist\/main\.js$/.exec(
      start.split('&&').pop()!.trim(),
    );
  expect(command).not.toBeNull();
  expect(c.command[0]).toBe('node');
  expect(existsSync(join(ROOT, c.command[2]))).toBe(true);
  const dockerfile = readFileSync(join(ROOT, 'collector-processor/Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
  // The allocator setting npm start gives the process reaches the pod through the image's environment.
  expect(dockerfile).toMatch(new RegExp(`^ENV MALLOC_MMAP_THRESHOLD_=${command![1]}$`, 'm'));
  const exposed = /^EXPOSE (.*)$/m.exec(dockerfile)![1].split(/\s+/).map(Number);
  for (const p of c.ports) expect(exposed).toContain(p.containerPort);
});

test('the telemetry server answers the probe and scrape paths the chart uses', async () => {
  let ready = true;
  const server = await startTelemetryServer('127.0.0.1:0', new Registry(), () => ready);
  try {
    const get = (path: string) => fetch(`http://${server.address}${path}`).then((r) => r.status);
    expect(await get('/healthz')).toBe(200);
    expect(await get('/readyz')).toBe(200);
    expect(await get('/metrics')).toBe(200);
    ready = false;
    expect(await get('/readyz')).toBe(503);
    expect(await get('/healthz')).toBe(200);
  } finally {
    await server.close();
  }
});

test("values.schema.json's config holds every key of docs/configuration.md but the secrets, which the chart sets from Secrets", () => {
  const schema = valuesSchema() as any;
  const paths: string[] = [];
  const walk = (node: any, prefix: string[]) => {
    if (node.type === 'object' && node.properties) {
      expect([prefix.join('.'), node.additionalProperties]).toEqual([prefix.join('.'), false]);
      for (const [k, v] of Object.entries(node.properties)) walk(v, [...prefix, k]);
    } else paths.push(prefix.join('.'));
  };
  walk(schema.properties.config, []);
  const docs = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
  const documented = [...docs.matchAll(/^\| `([\w.-]+)` \|/gm)].map((m) => m[1]);
  expect(documented.length).toBe(KEYS.length);
  expect(paths.sort()).toEqual(documented.filter((k) => !(k in SECRET_KEYS)).sort());
  const env = podSpec(render(['deploy/helm/anomalog/ci/postgres-values.yaml'])).containers[0].env.map(
    (e: any) => e.name,
  );
  for (const key of Object.keys(SECRET_KEYS)) expect(env).toContain(KEYS.find((k) => k.path === key)!.env);
});

describe('sidecar recipes', () => {
  const chartValues = readYaml('deploy/recipes/sidecar/opentelemetry-collector-values.yaml');
  const operator = readYaml('deploy/recipes/sidecar/operator-collector.yaml');
  const cases: [string, any, any, string[]][] = [
    // The chart's default config already defines the otlp receiver and these processors.
    [
      'opentelemetry-collector chart',
      chartValues.config,
      chartValues.extraContainers[0],
      ['otlp', 'filelog', 'memory_limiter', 'batch'],
    ],
    ['Operator', operator.spec.config, operator.spec.additionalContainers[0], []],
  ];

  describe.each(cases)('%s', (_name, collector, container, chartDefined) => {
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    const loaded = loadConfig({ argv: [], env });

    test('the processor container loads its ANOMALOG_* variables, none unknown', () => {
      expect(loaded.unknownEnv).toEqual([]);
    });

    test('Collector → 127.0.0.1:<processor port> → the second receiver of the same Collector, no loop', () => {
      const c = loaded.config;
      const out = collector.exporters['otlp/anomalog'].endpoint;
      expect(hostOf(out)).toBe('127.0.0.1');
      expect(hostOf(c.receiver.grpc.endpoint)).toBe('127.0.0.1');
      expect(portOf(out)).toBe(portOf(c.receiver.grpc.endpoint));
      const back = c.exporter.endpoint!;
      expect(hostOf(back)).toBe('127.0.0.1');
      const pipelines = collector.service.pipelines;
      const annotated = Object.values(pipelines).find((p: any) => p.receivers.includes('otlp/annotated')) as any;
      expect(portOf(collector.receivers['otlp/annotated'].protocols.grpc.endpoint)).toBe(portOf(back));
      expect(annotated.exporters).not.toContain('otlp/anomalog');
      // The processor pushes its metrics over OTLP to the same endpoint unless told not to.
      const metricsPipelines = Object.entries(pipelines).filter(([name]) => name.startsWith('metrics'));
      if (c.telemetry.otlpMetricsIntervalS > 0)
        expect(metricsPipelines.some(([, p]: [string, any]) => p.receivers.includes('otlp/annotated'))).toBe(true);
      expect(pipelines.logs.exporters).toEqual(['otlp/anomalog']);
      // The Collector's own receiver must not hold the processor's loopback port.
      const own = collector.receivers.otlp?.protocols?.grpc?.endpoint;
      if (own) expect(hostOf(own)).not.toMatch(/^(0\.0\.0\.0|127\.0\.0\.1|localhost)$/);
      for (const p of Object.values(pipelines) as any[]) {
        for (const kind of ['receivers', 'processors', 'exporters']) {
          for (const name of p[kind] ?? []) {
            const defined = name in (collector[kind] ?? {}) || chartDefined.includes(name);
            expect([kind, name, defined]).toEqual([kind, name, true]);
          }
        }
      }
    });

    test('probes, scrape port and heap cap match the processor and its memory limit', () => {
      const port = portOf(loaded.config.telemetry.endpoint);
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port });
      expect(container.ports.map((p: any) => p.containerPort)).toEqual([port]);
      const heap = Number(/^--max-old-space-size=(\d+)$/.exec(container.command[1])![1]);
      const headroom = readYaml('deploy/helm/anomalog/values.yaml').heap.nativeHeadroomMiB;
      expect(heap).toBe(mebibytes(container.resources.limits.memory) - headroom);
      expect(container.command.slice(2)).toEqual(podSpec(render()).containers[0].command.slice(2));
      const mounts = container.volumeMounts.map((m: any) => m.mountPath);
      expect(mounts).toContain(loaded.config.store.dataDir);
      expect(mounts).toContain('/tmp');
    });
  });
});

describe('gateway recipe', () => {
  const agent = readYaml('deploy/recipes/gateway/agent-values.yaml');
  const exportCollector = readYaml('deploy/recipes/gateway/collector-export-values.yaml');
  const docs = () => render(['deploy/recipes/gateway/anomalog-values.yaml']);

  test("agents route by service to the chart's headless Service on the processor's OTLP/gRPC port", () => {
    const lb = agent.config.exporters['loadbalancing/anomalog'];
    expect(lb.routing_key).toBe('service');
    const headless = byKind(docs(), 'Service').find((s) => s.spec.clusterIP === 'None');
    expect(lb.resolver.k8s.service).toBe(`${headless.metadata.name}.observability`);
    const grpc = headless.spec.ports.find((p: any) => p.name === 'otlp-grpc').port;
    expect(lb.resolver.k8s.ports).toEqual([grpc]);
    expect(agent.config.service.pipelines.logs.exporters).toEqual(['loadbalancing/anomalog']);
    const rules = agent.clusterRole.rules.map((r: any) => `${r.apiGroups[0]}/${r.resources[0]}`);
    expect(rules).toContain('discovery.k8s.io/endpointslices');
  });

  test('replicas share PostgreSQL and forward to the export Collector on its OTLP port', () => {
    const d = docs();
    expect(one(d, 'Deployment').spec.replicas).toBeGreaterThan(1);
    const c = loadAsPod(d).config;
    expect(c.store.kind).toBe('postgres');
    expect(hostOf(c.exporter.endpoint!)).toBe(`${exportCollector.fullnameOverride}.observability.svc.cluster.local`);
    // The opentelemetry-collector chart's otlp receiver listens on 4317 (gRPC), its default.
    expect(portOf(c.exporter.endpoint!)).toBe(4317);
    expect(exportCollector.config.service.pipelines.logs.receivers).toEqual(['otlp']);
  });

  test('the topology spread selects the chart’s own pod labels', () => {
    const pod = one(docs(), 'Deployment').spec.template;
    for (const t of pod.spec.topologySpreadConstraints)
      expect(pod.metadata.labels).toMatchObject(t.labelSelector.matchLabels);
  });
});

describe('Grafana chart values', () => {
  const values = readYaml('deploy/grafana/values.yaml');
  const plugin = JSON.parse(readFileSync(join(ROOT, 'grafana-app/src/plugin.json'), 'utf8'));
  const version = JSON.parse(readFileSync(join(ROOT, 'grafana-app/package.json'), 'utf8')).version;

  test('install the app at its version from an archive and allow it unsigned', () => {
    expect(values.plugins).toEqual([expect.stringMatching(new RegExp(`^${plugin.id}@${version}@https://.+\\.zip$`))]);
    expect(values.env.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(plugin.id);
  });

  test('package-plugin.sh makes the archive those values name: one top folder, the plugin id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anomalog-plugin-'));
    mkdirSync(join(dir, 'dist'));
    copyFileSync(join(ROOT, 'grafana-app/src/plugin.json'), join(dir, 'dist/plugin.json'));
    writeFileSync(join(dir, 'dist/module.js'), '');
    const made = spawnSync('bash', [join(ROOT, 'deploy/grafana/package-plugin.sh'), join(dir, 'dist'), dir], {
      encoding: 'utf8',
    });
    expect([made.status, made.stderr]).toEqual([0, '']);
    const archive = made.stdout.trim();
    expect(values.plugins[0].endsWith(`/${basename(archive)}`)).toBe(true);
    const list = spawnSync(
      'python3',
      ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', archive],
      { encoding: 'utf8' },
    );
    expect(list.stdout.trim().split('\n').sort()).toEqual([
      `${plugin.id}/`,
      `${plugin.id}/module.js`,
      `${plugin.id}/plugin.json`,
    ]);
  });

  test('data sources carry the uids and types the dashboard and alert rules use', () => {
    const own = values.datasources['datasources.yaml'].datasources.map((d: any) => [d.uid, d.type]);
    const provisioned = readYaml('provisioning/datasources/datasources.yaml').datasources.map((d: any) => [
      d.uid,
      d.type,
    ]);
    expect(own).toEqual(provisioned);
  });

  test("the app's variables point at the chart's API Service and token Secret", () => {
    const app = readYaml('provisioning/plugins/anomalog.yaml').apps[0];
    const urlVar = app.jsonData.processorUrl.replace(/^\$/, '');
    const tokenVar = app.secureJsonData.apiToken.replace(/^\$/, '');
    const d = render();
    const svc = byKind(d, 'Service').find((s) => s.spec.clusterIP !== 'None');
    const api = svc.spec.ports.find((p: any) => p.name === 'api').port;
    expect(values.env[urlVar]).toBe(`http://${svc.metadata.name}.observability.svc.cluster.local:${api}`);
    const ref = values.envValueFrom[tokenVar].secretKeyRef;
    const secret = one(d, 'Secret');
    expect(ref.name).toBe(secret.metadata.name);
    expect(Object.keys(secret.data)).toContain(ref.key);
  });

  test('dashboards, alert rules and app settings come from the ConfigMaps made from provisioning/', () => {
    const [provider] = values.dashboardProviders['dashboardproviders.yaml'].providers;
    const [[mountName, configMap]] = Object.entries(values.dashboardsConfigMaps) as [string, string][];
    expect(provider.options.path).toBe(`/var/lib/grafana/dashboards/${mountName}`);
    expect(CONFIGMAPS[configMap]).toBe('dashboards/json');
    const mounts = Object.fromEntries(values.extraConfigmapMounts.map((m: any) => [m.configMap, m.mountPath]));
    expect(mounts).toEqual({
      'anomalog-grafana-alerting': '/etc/grafana/provisioning/alerting',
      'anomalog-grafana-plugins': '/etc/grafana/provisioning/plugins',
    });
    for (const name of Object.keys(mounts)) expect(CONFIGMAPS[name]).toBe(name.replace('anomalog-grafana-', ''));
  });
});

test('NOTES.txt tells a Collector the address: the Service for one replica, the headless Service for several', () => {
  const notes = (files: string[]) => {
    const r = helm([
      'install',
      'anomalog',
      join(ROOT, 'deploy/helm/anomalog'),
      '--dry-run=client',
      '-n',
      'observability',
      ...files.flatMap((f) => ['-f', join(ROOT, f)]),
    ]);
    expect([r.status, r.out]).toEqual([0, expect.any(String)]);
    return r.out.slice(r.out.indexOf('NOTES:'));
  };
  const single = notes(['deploy/helm/anomalog/ci/sqlite-values.yaml']);
  expect(single).toContain('endpoint: anomalog.observability.svc.cluster.local:4317');
  expect(single).not.toContain('WARNING');
  const gateway = notes(['deploy/recipes/gateway/anomalog-values.yaml']);
  expect(gateway).toContain('routing_key: service');
  expect(gateway).toContain('hostname: anomalog-headless.observability.svc.cluster.local, port: 4317');
  expect(notes([])).toContain('WARNING: config.exporter.endpoint is unset');
});
