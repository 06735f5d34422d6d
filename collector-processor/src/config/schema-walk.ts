import type { TSchema } from '@sinclair/typebox';

/** One settable key of the configuration schema, with what a human or a parser needs to know. */
export interface ConfigKey {
  /** Dotted path, e.g. "receiver.grpc.endpoint". */
  path: string;
  /** Environment variable overriding it, e.g. ANOMALOG_RECEIVER_GRPC_ENDPOINT. */
  env: string;
  kind: 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'map' | 'json';
  choices?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  /** True when minimum itself is not allowed (> rather than ≥). */
  exclusive?: boolean;
  maximum?: number;
}

/** Every leaf of an object schema, depth first, in declaration order. */
export function configKeys(schema: TSchema, prefix: string[] = []): ConfigKey[] {
  const props = (schema as { properties?: Record<string, TSchema> }).properties;
  if (schema.type === 'object' && props) {
    return Object.entries(props).flatMap(([name, child]) => configKeys(child, [...prefix, name]));
  }
  return [leaf(schema, prefix)];
}

function leaf(schema: TSchema, path: string[]): ConfigKey {
  const s = schema as TSchema & {
    anyOf?: { const?: unknown; type?: string }[];
    patternProperties?: unknown;
    minimum?: number;
    exclusiveMinimum?: number;
    maximum?: number;
  };
  const key: ConfigKey = {
    path: path.join('.'),
    env: envName(path),
    kind: 'json',
    default: s.default,
    description: s.description,
    minimum: s.minimum ?? s.exclusiveMinimum,
    exclusive: s.minimum === undefined && s.exclusiveMinimum !== undefined,
    maximum: s.maximum,
  };
  if (s.anyOf && s.anyOf.every((a) => a.const !== undefined)) {
    key.kind = 'enum';
    key.choices = s.anyOf.map((a) => String(a.const));
  } else if (s.type === 'object' && s.patternProperties) key.kind = 'map';
  else if (s.type === 'string' || s.type === 'integer' || s.type === 'number' || s.type === 'boolean')
    key.kind = s.type;
  return key;
}

/** receiver.maxRecvMsgSizeMiB → ANOMALOG_RECEIVER_MAX_RECV_MSG_SIZE_MIB */
export function envName(path: string[]): string {
  const words = path.map((p) =>
    p
      .replace(/MiB/g, 'Mib')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .toUpperCase(),
  );
  return ['ANOMALOG', ...words].join('_');
}
