/**
 * Kubernetes' OpenAPI v2 spec (api/openapi-spec/swagger.json of a kubernetes release) → one standalone,
 * strict JSON schema per kind, laid out as kubeconform looks them up:
 * `<out>/<kind>-<group's first label>-<version>.json` (core group: `<kind>-<version>.json`).
 *
 * Usage: node --import tsx k8s-schemas.ts SWAGGER_JSON OUT_DIR
 *
 * What the conversion does, and why:
 * - each file carries the definitions its kind reaches, under `definitions`, so it needs no other file
 *   and recursive types (JSONSchemaProps) stay finite;
 * - objects that list properties get `additionalProperties: false` (strict), so a misspelt or misplaced
 *   field fails instead of being dropped by the API server;
 * - optional fields also accept null, as the API server does (templates render empty values as null);
 * - IntOrString and Quantity accept the integer/number forms the API server accepts beside strings;
 * - `kind` and `apiVersion` are pinned to the kind's own values.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Schema = Record<string, unknown>;
interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const REF = '#/definitions/';
const SPECIAL: Record<string, Schema> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { oneOf: [{ type: 'string' }, { type: 'integer' }] },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
};

function convert(node: unknown, required = true): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n));
  if (node === null || typeof node !== 'object') return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith('x-kubernetes-') || k === 'description') continue;
    if (k === 'properties') {
      const req = new Set((src.required as string[] | undefined) ?? []);
      out.properties = Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, convert(s, req.has(p))]),
      );
    } else if (k === 'items' || k === 'additionalProperties') out[k] = typeof v === 'object' ? convert(v) : v;
    else out[k] = v;
  }
  if (out.properties && !('additionalProperties' in out)) out.additionalProperties = false;
  if (!required && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (!required && typeof out.$ref === 'string') return { oneOf: [{ $ref: out.$ref }, { type: 'null' }] };
  return out;
}

function refsOf(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, into));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF)) into.add(v.slice(REF.length));
      else refsOf(v, into);
    }
  }
}

function closure(defs: Record<string, Schema>, root: string): string[] {
  const seen = new Set<string>([root]);
  const todo = [root];
  while (todo.length) {
    const found = new Set<string>();
    refsOf(defs[todo.pop()!], found);
    for (const name of found) {
      if (!seen.has(name)) {
        seen.add(name);
        todo.push(name);
      }
    }
  }
  return [...seen];
}

function main(swaggerFile: string, outDir: string): void {
  const spec = JSON.parse(readFileSync(swaggerFile, 'utf8')) as { definitions: Record<string, Schema> };
  const defs = spec.definitions;
  const converted: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(defs)) converted[name] = SPECIAL[name] ?? (convert(schema) as Schema);
  mkdirSync(outDir, { recursive: true });
  let files = 0;
  for (const [name, schema] of Object.entries(defs)) {
    const gvks = (schema['x-kubernetes-group-version-kind'] as Gvk[] | undefined) ?? [];
    // Kinds listed under many group-versions (DeleteOptions, WatchEvent) are not resources.
    if (gvks.length !== 1) continue;
    const { group, version, kind } = gvks[0];
    const apiVersion = group ? `${group}/${version}` : version;
    const root = structuredClone(converted[name]);
    const props = (root.properties ?? {}) as Record<string, Schema>;
    if (props.kind) props.kind = { type: 'string', enum: [kind] };
    if (props.apiVersion) props.apiVersion = { type: 'string', enum: [apiVersion] };
    const definitions = Object.fromEntries(closure(defs, name).map((d) => [d, converted[d]]));
    const file = `${kind}${group ? `-${group.split('.')[0]}` : ''}-${version}.json`.toLowerCase();
    writeFileSync(join(outDir, file), JSON.stringify({ ...root, definitions }));
    files++;
  }
  console.error(`k8s-schemas: ${files} kinds written to ${outDir}`);
}

const [swagger, out] = process.argv.slice(2);
if (!swagger || !out) {
  console.error('usage: k8s-schemas.ts SWAGGER_JSON OUT_DIR');
  process.exit(2);
}
main(swagger, out);
