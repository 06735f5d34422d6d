/**
 * The Collector the tests build (collector/builder-config.yaml) is the release docker-compose runs:
 * one version for the distribution and every component module. A file check, so it needs no build.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './harness';

const COMPONENT_KINDS = ['receivers', 'processors', 'exporters', 'extensions', 'connectors'];

test('docker-compose runs the Collector release the tests build', () => {
  const manifest = parse(readFileSync(join(ROOT, 'collector', 'builder-config.yaml'), 'utf8'));
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'));
  expect(compose.services.collector.image).toBe(`otel/opentelemetry-collector-contrib:${manifest.dist.version}`);
  const release = `v${manifest.dist.version}`;
  for (const kind of COMPONENT_KINDS)
    for (const c of (manifest[kind] ?? []) as { gomod: string }[]) expect(c.gomod).toMatch(new RegExp(` ${release}$`));
});
