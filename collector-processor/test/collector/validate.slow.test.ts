/**
 * Every Collector config the repo ships passes `otelcol validate` of the Collector the tests build:
 * collector/*.yaml, and the Collector YAML blocks in docs/*.md. A docs block is a fragment (one
 * exporter, one pipeline), so it is validated merged over collector/collector.yaml, as a user would
 * add it to that config; the Collector merges several --config files itself.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { BUILD_TIMEOUT_MS, ROOT, collectorBinary, stopAll, tempDir, validateCollectorConfig } from './harness';
import { yamlBlocks } from './chain';

const COMPONENT_KINDS = ['receivers', 'processors', 'exporters', 'extensions', 'connectors'];
const BASE = join(ROOT, 'collector', 'collector.yaml');

/** A Collector config has component maps or a service section (the builder manifest has lists). */
function isCollectorConfig(doc: unknown): doc is Record<string, unknown> {
  if (!doc || typeof doc !== 'object') return false;
  const d = doc as Record<string, unknown>;
  if ('dist' in d) return false;
  const maps = COMPONENT_KINDS.some((k) => d[k] && typeof d[k] === 'object' && !Array.isArray(d[k]));
  return maps || (typeof d.service === 'object' && d.service !== null);
}

const shippedFiles = readdirSync(join(ROOT, 'collector'))
  .filter((f) => /\.ya?ml$/.test(f))
  .filter((f) => isCollectorConfig(parse(readFileSync(join(ROOT, 'collector', f), 'utf8'))));

const docBlocks = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) =>
    yamlBlocks(join(ROOT, 'docs', f))
      .filter(isCollectorConfig)
      .map((block, i) => ({ name: `docs/${f} block ${i + 1}`, block })),
  );

beforeAll(() => {
  collectorBinary();
}, BUILD_TIMEOUT_MS);
afterAll(stopAll);

test('the repo ships Collector configs in collector/ and in the docs', () => {
  expect(shippedFiles).toContain('collector.yaml');
  expect(docBlocks.map((d) => d.name)).toEqual(
    expect.arrayContaining(['docs/collector.md block 1', 'docs/collector.md block 2', 'docs/scaling.md block 1']),
  );
});

test.each(shippedFiles)('collector/%s passes otelcol validate', (file) => {
  const result = validateCollectorConfig([join(ROOT, 'collector', file)]);
  expect([file, result.ok, result.ok ? '' : result.output]).toEqual([file, true, '']);
});

test.each(docBlocks.map((d) => [d.name, d.block] as const))(
  '%s passes otelcol validate over collector/collector.yaml',
  (name, block) => {
    const path = join(tempDir('validate'), 'fragment.yaml');
    writeFileSync(path, stringify(block));
    const result = validateCollectorConfig([BASE, path]);
    expect([name, result.ok, result.ok ? '' : result.output]).toEqual([name, true, '']);
  },
);

test('otelcol validate rejects a pipeline naming an exporter that is not defined', () => {
  const path = join(tempDir('validate'), 'broken.yaml');
  writeFileSync(path, stringify({ service: { pipelines: { 'logs/in': { exporters: ['otlp/nowhere'] } } } }));
  const result = validateCollectorConfig([BASE, path]);
  expect(result.ok).toBe(false);
  expect(result.output).toMatch(/otlp\/nowhere/);
});
