/**
 * Writes deploy/helm/anomalog/values.schema.json: the chart's own keys beside `config`, which is the
 * processor's configuration schema from shared/ (the one behind docs/configuration.md), so Helm refuses
 * the values the processor would refuse, and also unknown keys and the secrets that must not go into the
 * ConfigMap.
 *
 * Usage: npx tsx deploy/tools/values-schema.ts [--check]
 * --check: exit 1 when the committed file differs from what would be written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type TSchema } from '@sinclair/typebox';
import { AnomalogConfig } from '@anomalog/shared';

export const VALUES_SCHEMA_FILE = join(__dirname, '../helm/anomalog/values.schema.json');

/** Keys of the processor's configuration the chart takes from Secrets instead (see values.yaml). */
export const SECRET_KEYS: Record<string, string> = {
  'api.token': 'apiToken (value or existingSecret)',
  'store.postgresUrl': 'postgres (url or existingSecret)',
};

type Json = Record<string, unknown>;

/**
 * The processor's schema as Helm should check it: every object that names its properties is closed
 * (the processor's own schema leaves some sections open and would ignore a misspelt key there); a key
 * with a default is optional, since the processor fills it in; the secret keys are left out.
 */
export function configValuesSchema(): Json {
  const schema = JSON.parse(JSON.stringify(AnomalogConfig)) as Json;
  const close = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(close);
    if (!node || typeof node !== 'object') return;
    const n = node as Json;
    if (n.properties) {
      const props = n.properties as Record<string, Json>;
      n.additionalProperties = false;
      const required = ((n.required as string[] | undefined) ?? []).filter((k) => !('default' in props[k]));
      if (required.length) n.required = required;
      else delete n.required;
    }
    Object.values(n).forEach(close);
  };
  close(schema);
  for (const path of Object.keys(SECRET_KEYS)) {
    const parts = path.split('.');
    let node = schema;
    for (const p of parts.slice(0, -1)) node = (node.properties as Record<string, Json>)[p];
    delete (node.properties as Record<string, Json>)[parts.at(-1)!];
  }
  // Helm validates the merged values; the chart's values.yaml is what stands for the processor's defaults.
  delete schema.default;
  schema.description = 'The processor configuration file (docs/configuration.md). Secrets: apiToken, postgres.';
  return schema;
}

const Str = (o: object = {}) => Type.String(o);
const Obj = <T extends Record<string, TSchema>>(p: T, o: object = {}) =>
  Type.Object(p, { additionalProperties: false, ...o });
const AnyMap = Type.Record(Type.String(), Type.Unknown());
const StrMap = Type.Record(Type.String(), Type.String());
const List = Type.Array(Type.Record(Type.String(), Type.Unknown()));
const Quantity = Type.Union([Type.String(), Type.Number()]);
const SecretRef = (key: string) =>
  Obj({
    value: Str({ description: 'Put into a Secret the chart creates.' }),
    existingSecret: Str({ description: 'Name of a Secret of the release namespace holding it.' }),
    existingSecretKey: Str({ minLength: 1, default: key }),
  });
const Probe = Obj({
  periodSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  failureThreshold: Type.Optional(Type.Integer({ minimum: 1 })),
});

export function valuesSchema(): Json {
  const chart = Obj({
    config: Type.Unsafe(configValuesSchema()),
    apiToken: SecretRef('api-token'),
    postgres: Obj({
      url: Str({ description: 'postgres://user:pass@host:5432/db' }),
      existingSecret: Str(),
      existingSecretKey: Str({ minLength: 1 }),
    }),
    replicaCount: Type.Integer({ minimum: 0 }),
    image: Obj({
      repository: Str({ minLength: 1 }),
      tag: Str(),
      pullPolicy: Type.Union([Type.Literal('Always'), Type.Literal('IfNotPresent'), Type.Literal('Never')]),
    }),
    imagePullSecrets: List,
    nameOverride: Str(),
    fullnameOverride: Str(),
    resources: Obj({
      requests: Type.Optional(Type.Record(Type.String(), Quantity)),
      limits: Type.Optional(Type.Record(Type.String(), Quantity)),
    }),
    heap: Obj({
      // Left out: the memory limit less nativeHeadroomMiB (Helm drops null values, so no null here).
      maxOldSpaceMiB: Type.Optional(Type.Integer({ minimum: 128 })),
      nativeHeadroomMiB: Type.Integer({ minimum: 64 }),
    }),
    persistence: Obj({
      enabled: Type.Boolean(),
      size: Str({ minLength: 1 }),
      storageClassName: Str(),
      accessModes: Type.Array(Str(), { minItems: 1 }),
      annotations: StrMap,
    }),
    service: Obj({
      type: Type.Union([Type.Literal('ClusterIP'), Type.Literal('NodePort'), Type.Literal('LoadBalancer')]),
      annotations: StrMap,
      headless: Obj({ annotations: StrMap }),
    }),
    metrics: Obj({
      podAnnotations: Type.Boolean(),
      serviceMonitor: Obj({
        enabled: Type.Boolean(),
        interval: Str({ pattern: '^[0-9]+(ms|s|m|h)$' }),
        scrapeTimeout: Str({ pattern: '^[0-9]+(ms|s|m|h)$' }),
        labels: StrMap,
      }),
    }),
    networkPolicy: Obj({ enabled: Type.Boolean(), otlpFrom: List, apiFrom: List, metricsFrom: List }),
    serviceAccount: Obj({ create: Type.Boolean(), name: Str(), annotations: StrMap }),
    podAnnotations: StrMap,
    podLabels: StrMap,
    podSecurityContext: AnyMap,
    securityContext: AnyMap,
    probes: Obj({ startup: Probe, liveness: Probe, readiness: Probe }),
    terminationGraceExtraSeconds: Type.Integer({ minimum: 0 }),
    podDisruptionBudget: Obj({
      enabled: Type.Boolean(),
      maxUnavailable: Type.Union([Type.Integer({ minimum: 0 }), Str()]),
    }),
    extraEnv: List,
    extraVolumes: List,
    extraVolumeMounts: List,
    nodeSelector: StrMap,
    tolerations: List,
    affinity: AnyMap,
    topologySpreadConstraints: List,
    priorityClassName: Str(),
    // Set by Helm when this chart is a dependency of another.
    global: Type.Optional(AnyMap),
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'anomalog chart values',
    ...(JSON.parse(JSON.stringify(chart)) as Json),
  };
}

export function render(): string {
  return `${JSON.stringify(valuesSchema(), null, 2)}\n`;
}

if (require.main === module) {
  const text = render();
  if (process.argv.includes('--check')) {
    const current = readFileSync(VALUES_SCHEMA_FILE, 'utf8');
    if (current !== text) {
      console.error(`${VALUES_SCHEMA_FILE} is stale: run npx tsx deploy/tools/values-schema.ts`);
      process.exit(1);
    }
  } else writeFileSync(VALUES_SCHEMA_FILE, text);
}
