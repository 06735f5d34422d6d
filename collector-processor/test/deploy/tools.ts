/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are walked structurally. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The chart checks' tools, built by deploy/tools/build.sh (from the Go module proxy) when missing. */
export const ROOT = resolve(__dirname, '../../..');
export const CHART = join(ROOT, 'deploy/helm/anomalog');
const TOOLS = join(ROOT, 'deploy/tools');
export const HELM = join(TOOLS, '.bin/helm');
const KUBECONFORM = join(TOOLS, '.bin/kubeconform');
export const KUBERNETES_VERSION = readFileSync(join(TOOLS, 'kubernetes-version'), 'utf8').trim().replace(/^v/, '');

/** Minutes on a cold machine (Go compiles helm); a hash check when the tools are already there. */
export const BUILD_TIMEOUT_MS = 40 * 60 * 1000;

export function buildTools(): void {
  execFileSync('bash', [join(TOOLS, 'build.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Example values files the docs name: each is linted, rendered and validated. */
export const EXAMPLES = [
  'deploy/helm/anomalog/ci/sqlite-values.yaml',
  'deploy/helm/anomalog/ci/postgres-values.yaml',
  'deploy/recipes/gateway/anomalog-values.yaml',
];

export interface Run {
  status: number;
  out: string;
}

export function helm(args: string[]): Run {
  // A throwaway home: no repositories, no plugins, no kubeconfig of the machine.
  const home = mkdtempSync(join(tmpdir(), 'helm-home-'));
  const r = spawnSync(HELM, args, {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
      KUBECONFIG: join(home, 'kubeconfig'),
    },
  });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** `helm template` of the chart as release "anomalog" in namespace "observability", or throws with helm's words. */
export function render(valuesFiles: string[] = [], set: string[] = []): any[] {
  const r = helm(templateArgs(valuesFiles, set));
  if (r.status !== 0) throw new Error(r.out);
  return parseAllDocuments(r.out)
    .map((d) => d.toJS())
    .filter((d) => d);
}

export function templateArgs(valuesFiles: string[], set: string[]): string[] {
  return [
    'template',
    'anomalog',
    CHART,
    '--namespace',
    'observability',
    ...valuesFiles.flatMap((f) => ['-f', join(ROOT, f)]),
    ...set.flatMap((s) => ['--set', s]),
  ];
}

/**
 * kubeconform over YAML text, offline: strict schemas of the pinned Kubernetes release from
 * deploy/tools/.cache. CRDs (ServiceMonitor, OpenTelemetryCollector) have no schema there and are skipped.
 */
export function kubeconform(yamlText: string): Run {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconform-'));
  const file = join(dir, 'manifests.yaml');
  writeFileSync(file, yamlText);
  const r = spawnSync(
    KUBECONFORM,
    [
      '-strict',
      '-summary',
      '-output',
      'text',
      '-kubernetes-version',
      KUBERNETES_VERSION,
      '-schema-location',
      join(TOOLS, '.cache/schemas'),
      '-skip',
      'ServiceMonitor,OpenTelemetryCollector',
      file,
    ],
    { encoding: 'utf8' },
  );
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export const byKind = (docs: any[], kind: string): any[] => docs.filter((d) => d.kind === kind);
export const one = (docs: any[], kind: string): any => {
  const found = byKind(docs, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, got ${found.length}`);
  return found[0];
};

/** The processor's pod spec of the rendered workload (StatefulSet or Deployment). */
export function podSpec(docs: any[]): any {
  const w = docs.find((d) => d.kind === 'StatefulSet' || d.kind === 'Deployment');
  return w.spec.template.spec;
}
