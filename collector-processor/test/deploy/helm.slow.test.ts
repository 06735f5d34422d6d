/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are walked structurally. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { render as renderValuesSchema, VALUES_SCHEMA_FILE } from '../../../deploy/tools/values-schema';
import { provisioningConfigMaps } from '../../../deploy/grafana/provisioning-configmaps';
import {
  BUILD_TIMEOUT_MS,
  CHART,
  EXAMPLES,
  ROOT,
  buildTools,
  byKind,
  helm,
  kubeconform,
  one,
  podSpec,
  render,
  templateArgs,
} from './tools';

// This suite renders the chart with helm (built once): slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(120_000);

/**
 * The chart, checked as a platform engineer's CI would without a cluster: helm lint, helm template over the
 * default values and every documented example, and kubeconform against the pinned Kubernetes release's
 * schemas (strict: unknown fields fail). Also what the chart must refuse.
 */
beforeAll(buildTools, BUILD_TIMEOUT_MS);

const valueSets: [string, string[]][] = [['default values', []], ...EXAMPLES.map((f): [string, string[]] => [f, [f]])];

test('values.schema.json is the one deploy/tools/values-schema.ts writes from shared/ config schema', () => {
  expect(readFileSync(VALUES_SCHEMA_FILE, 'utf8')).toBe(renderValuesSchema());
});

describe.each(valueSets)('%s', (_name, files) => {
  test('pass helm lint --strict', () => {
    const r = helm(['lint', '--strict', CHART, ...files.flatMap((f) => ['-f', join(ROOT, f)])]);
    expect([r.status, r.out]).toEqual([0, expect.stringContaining('0 chart(s) failed')]);
  });

  test('render manifests valid for the pinned Kubernetes release', () => {
    const r = helm(templateArgs(files, []));
    expect([r.status, r.out]).toEqual([0, expect.any(String)]);
    const v = kubeconform(r.out);
    expect([v.status, v.out]).toEqual([0, expect.stringMatching(/Invalid: 0, Errors: 0/)]);
    expect(v.out).toMatch(/Valid: [1-9]/);
  });
});

test('kubeconform fails a manifest with a misplaced field (the check is not vacuous)', () => {
  const docs = render();
  const sts = one(docs, 'StatefulSet');
  sts.spec.template.spec.containers[0].resource = sts.spec.template.spec.containers[0].resources;
  const r = kubeconform(stringify(sts));
  expect(r.status).not.toBe(0);
  expect(r.out).toMatch(/additional properties 'resource' not allowed|'resource'/);
});

test('config.store.kind picks the workload: StatefulSet with a volume claim (sqlite) or Deployment (postgres)', () => {
  const sqlite = render();
  expect(byKind(sqlite, 'Deployment')).toHaveLength(0);
  const sts = one(sqlite, 'StatefulSet');
  expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
  expect(sts.spec.serviceName).toBe('anomalog-headless');

  const pg = render(['deploy/helm/anomalog/ci/postgres-values.yaml']);
  expect(byKind(pg, 'StatefulSet')).toHaveLength(0);
  expect(one(pg, 'Deployment').spec.replicas).toBe(2);
  expect(one(pg, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  expect(one(pg, 'ServiceMonitor').spec.endpoints[0].port).toBe('metrics');
  expect(one(pg, 'NetworkPolicy').spec.ingress[0].from[0].podSelector.matchLabels).toEqual({
    'app.kubernetes.io/name': 'opentelemetry-collector',
  });
  const env = podSpec(pg).containers[0].env;
  expect(env.find((e: any) => e.name === 'ANOMALOG_STORE_POSTGRES_URL').valueFrom.secretKeyRef).toEqual({
    name: 'anomalog',
    key: 'postgres-url',
  });
  const secret = one(pg, 'Secret');
  expect(Buffer.from(secret.data['postgres-url'], 'base64').toString()).toMatch(/^postgres:\/\//);
});

test('the headless Service lists every replica on the OTLP ports for the loadbalancing exporter', () => {
  const svc = byKind(render(), 'Service').find((s) => s.metadata.name === 'anomalog-headless');
  expect(svc.spec.clusterIP).toBe('None');
  expect(svc.spec.publishNotReadyAddresses).toBe(false);
  expect(svc.spec.ports.map((p: any) => p.name)).toEqual(['otlp-grpc', 'otlp-http']);
});

test('runs as non-root with a read-only root file system and no token mounted', () => {
  const pod = podSpec(render());
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
  expect(pod.automountServiceAccountToken).toBe(false);
  expect(pod.containers[0].securityContext).toEqual({
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
});

test('an API token is generated once when none is given, and an existing Secret replaces it', () => {
  const generated = one(render(), 'Secret');
  expect(Buffer.from(generated.data['api-token'], 'base64').toString()).toMatch(/^[A-Za-z0-9]{40}$/);
  const own = render(['deploy/helm/anomalog/ci/sqlite-values.yaml']);
  expect(byKind(own, 'Secret')).toHaveLength(0);
  const env = podSpec(own).containers[0].env;
  expect(env.find((e: any) => e.name === 'ANOMALOG_API_TOKEN').valueFrom.secretKeyRef).toEqual({
    name: 'anomalog-api',
    key: 'token',
  });
});

describe('refuses values the processor would refuse, and secrets in the ConfigMap', () => {
  const fails = (set: string[], message: RegExp) => {
    const r = helm(templateArgs([], set));
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(message);
  };
  test('an unknown key anywhere in config', () => {
    fails(['config.receiver.grpc.endpiont=0.0.0.0:4317'], /endpiont/);
    fails(['config.parser.similarityTreshold=0.5'], /similarityTreshold/);
    fails(['config.detection.defaultModel.detectors.lof.params.neigbors=5'], /neigbors/);
    fails(['config.nosuchsection.x=1'], /nosuchsection/);
  });
  test('a value out of the key’s range or type', () => {
    fails(['config.receiver.maxConcurrentRequests=0'], /maxConcurrentRequests/);
    fails(['config.exporter.protocol=udp'], /protocol/);
    fails(['config.telemetry.logLevel=loud'], /logLevel/);
  });
  test('the API token or the PostgreSQL URL written into config', () => {
    fails(['config.api.token=abc'], /token/);
    fails(['config.store.postgresUrl=postgres://x'], /postgresUrl/);
  });
  test('an unknown chart key', () => {
    fails(['replicas=2'], /replicas/);
  });
  test('postgres without a URL or Secret, a port the Services cannot name, a relative data dir', () => {
    fails(['config.store.kind=postgres'], /postgres\.url or postgres\.existingSecret/);
    fails(['config.telemetry.endpoint=0.0.0.0:0'], /config\.telemetry\.endpoint.*fixed port/);
    fails(['config.store.dataDir=./data'], /config\.store\.dataDir must be an absolute path/);
  });
  test('a memory limit that leaves too little heap', () => {
    fails(['resources.limits.memory=300Mi'], /leaves 44 MiB of heap/);
  });
});

test('the heap cap follows the memory limit, whatever its unit, or heap.maxOldSpaceMiB', () => {
  const heapFlag = (set: string[]) =>
    podSpec(render([], set)).containers[0].command.find((a: string) => a.startsWith('--max-old-space-size='));
  expect(heapFlag([])).toBe('--max-old-space-size=384');
  expect(heapFlag(['resources.limits.memory=2Gi'])).toBe(`--max-old-space-size=${2048 - 256}`);
  expect(heapFlag(['resources.limits.memory=1G'])).toBe(`--max-old-space-size=${Math.floor(1e9 / 2 ** 20) - 256}`);
  expect(heapFlag(['heap.maxOldSpaceMiB=700'])).toBe('--max-old-space-size=700');
});

test('a config change rolls the pods (checksum annotation)', () => {
  const sum = (set: string[]) => podSpecMeta(render([], set))['checksum/config'];
  expect(sum([])).not.toBe(sum(['config.telemetry.logLevel=debug']));
});

function podSpecMeta(docs: any[]): Record<string, string> {
  return one(docs, 'StatefulSet').spec.template.metadata.annotations;
}

describe('recipes', () => {
  /** A recipe's extra containers, as the pod Kubernetes would get, through the same strict schemas. */
  const asPod = (containers: any[], volumes: any[]) =>
    stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'recipe' }, spec: { containers, volumes } });

  test("the opentelemetry-collector chart's sidecar container and volumes are valid Kubernetes", () => {
    const v = parse(readFileSync(join(ROOT, 'deploy/recipes/sidecar/opentelemetry-collector-values.yaml'), 'utf8'));
    const r = kubeconform(asPod(v.extraContainers, v.extraVolumes));
    expect([r.status, r.out]).toEqual([0, expect.stringMatching(/Valid: 1/)]);
  });

  test("the Operator's additional container and volumes are valid Kubernetes (the CR itself is a CRD: skipped)", () => {
    const cr = parse(readFileSync(join(ROOT, 'deploy/recipes/sidecar/operator-collector.yaml'), 'utf8'));
    expect(cr.kind).toBe('OpenTelemetryCollector');
    const r = kubeconform(asPod(cr.spec.additionalContainers, cr.spec.volumes));
    expect([r.status, r.out]).toEqual([0, expect.stringMatching(/Valid: 1/)]);
    const skipped = kubeconform(stringify(cr));
    expect([skipped.status, skipped.out]).toEqual([0, expect.stringMatching(/Skipped: 1/)]);
  });

  test('the Grafana provisioning ConfigMaps are valid and fit in a ConfigMap', () => {
    const maps = provisioningConfigMaps();
    const r = kubeconform(maps.map((m) => `---\n${stringify(m)}`).join(''));
    expect([r.status, r.out]).toEqual([0, expect.stringMatching(/Valid: 3/)]);
    for (const m of maps) expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThan(1024 * 1024);
  });
});
