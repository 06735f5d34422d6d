import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { AnomalogConfig, sessionKeyProblem, validateConfig } from '@anomalog/shared';
import { configKeys, type ConfigKey } from './schema-walk';

/**
 * The processor's configuration from, in rising precedence: the schema's defaults, one YAML file
 * (--config FILE), ANOMALOG_* environment variables, and --some.key=value flags. Every problem is
 * reported with the key's path (and the source: file, variable or flag) and the reason.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadInput {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

export interface Loaded {
  config: AnomalogConfig;
  /** Where values came from, for the start-up log. */
  sources: string[];
  /** ANOMALOG_* variables that match no key (probably typos). */
  unknownEnv: string[];
}

export const KEYS: ConfigKey[] = configKeys(AnomalogConfig);
const BY_PATH = new Map(KEYS.map((k) => [k.path, k]));
const BY_ENV = new Map(KEYS.map((k) => [k.env, k]));
/** Variables with the prefix that are not configuration keys (read elsewhere). */
const OTHER_ENV = new Set(['ANOMALOG_DATASETS', 'ANOMALOG_CONFIG']);

export const USAGE = `Usage: anomalog [--config FILE] [--<key>=<value> ...]
  --config FILE     YAML configuration (also ANOMALOG_CONFIG)
  --<key> VALUE     set one key, e.g. --receiver.grpc.endpoint=0.0.0.0:4317 --exporter.endpoint=collector:4317
  --help            this text
Every key, its environment variable and default: docs/configuration.md`;

export function loadConfig(input: LoadInput): Loaded {
  const problems: string[] = [];
  const sources: string[] = ['defaults'];
  const { file, flags } = parseArgv(input.argv, problems);
  const configFile = file ?? input.env.ANOMALOG_CONFIG;
  let tree: Record<string, unknown> = {};
  if (configFile) {
    tree = readYaml(configFile, problems);
    sources.push(configFile);
  }
  const unknownEnv: string[] = [];
  for (const [name, raw] of Object.entries(input.env)) {
    if (!name.startsWith('ANOMALOG_') || raw === undefined || OTHER_ENV.has(name)) continue;
    const key = BY_ENV.get(name);
    if (!key) {
      unknownEnv.push(name);
      continue;
    }
    set(tree, key, coerce(key, raw, `environment ${name}`, problems));
    sources.push(name);
  }
  for (const [path, raw] of flags) {
    const key = BY_PATH.get(path);
    if (!key) {
      problems.push(`--${path}: no such key (see docs/configuration.md)`);
      continue;
    }
    set(tree, key, coerce(key, raw, `--${path}`, problems));
    sources.push(`--${path}`);
  }
  if (problems.length) throw new ConfigError(problems);
  const v = validateConfig(tree);
  if (!v.ok) {
    throw new ConfigError(
      v.errors.map((e) => `${e.path.replace(/^\//, '').replace(/\//g, '.') || '(root)'}: ${e.message}`),
    );
  }
  // Rules the schema cannot say, so a bad default session key stops start-up instead of every new service.
  const sessionKey = sessionKeyProblem(v.value.detection.defaultModel.sessionKey);
  if (sessionKey) throw new ConfigError([`detection.defaultModel.${sessionKey}`]);
  return { config: v.value, sources, unknownEnv };
}

function parseArgv(argv: readonly string[], problems: string[]): { file?: string; flags: [string, string][] } {
  let file: string | undefined;
  const flags: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      problems.push(`unexpected argument "${arg}"`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    let value = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (value === undefined) {
      if (i + 1 >= argv.length) {
        problems.push(`--${name}: missing value`);
        continue;
      }
      value = argv[++i];
    }
    if (name === 'config') file = value;
    else flags.push([name, value]);
  }
  return { file, flags };
}

function readYaml(file: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`${file}: cannot read: ${(err as Error).message}`);
    return {};
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    for (const e of doc.errors) problems.push(`${file}: YAML error: ${e.message.split('\n')[0]}`);
    return {};
  }
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${file}: the top level must be a mapping of sections (receiver, exporter, telemetry, …)`);
    return {};
  }
  return value as Record<string, unknown>;
}

function coerce(key: ConfigKey, raw: string, source: string, problems: string[]): unknown {
  const fail = (what: string) => {
    problems.push(`${key.path} (${source}): ${what}, got "${raw}"`);
    return undefined;
  };
  switch (key.kind) {
    case 'integer':
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n))
        return fail(`expected ${key.kind === 'integer' ? 'an' : 'a'} ${key.kind}`);
      return n;
    }
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(raw)) return true;
      if (/^(false|0|no|off)$/i.test(raw)) return false;
      return fail('expected true or false');
    case 'enum':
      if (!key.choices?.includes(raw)) return fail(`expected one of ${key.choices?.join(', ')}`);
      return raw;
    case 'map':
      return parseMap(raw) ?? fail('expected k=v,k2=v2 or a JSON object');
    case 'json':
      try {
        return JSON.parse(raw);
      } catch {
        return fail('expected JSON');
      }
    default:
      return raw;
  }
}

function parseMap(raw: string): Record<string, string> | undefined {
  const t = raw.trim();
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t);
      return o && typeof o === 'object' && !Array.isArray(o) ? o : undefined;
    } catch {
      return undefined;
    }
  }
  const out: Record<string, string> = {};
  for (const pair of t.split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return undefined;
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

function set(tree: Record<string, unknown>, key: ConfigKey, value: unknown): void {
  if (value === undefined) return;
  const parts = key.path.split('.');
  let node = tree;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}
