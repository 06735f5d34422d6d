import { configKeys, type ConfigKey } from './schema-walk';
import { AnomalogConfig } from '@anomalog/shared';

/** docs/configuration.md, generated from the schema in shared/ so it cannot drift (see test/config/config.slow.test.ts). */
export function renderConfigDocs(): string {
  const keys = configKeys(AnomalogConfig);
  const sections = new Map<string, ConfigKey[]>();
  for (const k of keys) {
    const top = k.path.split('.')[0];
    sections.set(top, [...(sections.get(top) ?? []), k]);
  }
  const out = [
    '# Configuration',
    '',
    '<!-- Generated from the schema in shared/src/config by `npm run docs:config`; do not edit by hand. -->',
    '',
    'The processor reads, in rising precedence: the defaults below, one YAML file (`--config FILE` or',
    '`ANOMALOG_CONFIG`), `ANOMALOG_*` environment variables, and `--key=value` flags (e.g.',
    '`--exporter.endpoint=collector:4317`). A bad value stops the start with the key and the reason.',
    'Map values (headers) are given in variables and flags as `k=v,k2=v2` or a JSON object.',
    '',
    'Example:',
    '',
    '```yaml',
    'receiver:',
    '  grpc: { endpoint: 0.0.0.0:4317 }',
    '  http: { endpoint: 0.0.0.0:4318 }',
    'exporter:',
    '  endpoint: collector:4317',
    '  headers: { x-api-key: "…" }',
    '  tls: { insecure: false, caFile: /etc/ssl/ca.pem }',
    'telemetry:',
    '  endpoint: 0.0.0.0:9464',
    '```',
    '',
  ];
  for (const [section, list] of sections) {
    out.push(
      `## ${section}`,
      '',
      '| key | environment variable | type | default | description |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const k of list)
      out.push(`| \`${k.path}\` | \`${k.env}\` | ${typeOf(k)} | ${defaultOf(k)} | ${cell(k.description ?? '')} |`);
    out.push('');
  }
  return out.join('\n');
}

function typeOf(k: ConfigKey): string {
  let t: string = k.kind === 'enum' ? (k.choices ?? []).map((c) => `\`${c}\``).join(' \\| ') : k.kind;
  if (k.exclusive && k.maximum === undefined) t += ` (> ${k.minimum})`;
  else if (k.minimum !== undefined || k.maximum !== undefined) t += ` (${k.minimum ?? ''}…${k.maximum ?? ''})`;
  return t;
}

function defaultOf(k: ConfigKey): string {
  return k.default === undefined ? '(unset)' : `\`${JSON.stringify(k.default)}\``;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
