/**
 * plugin.json's grafanaDependency against what the source really uses: every name imported from
 * @grafana/ui, @grafana/data and @grafana/runtime must be exported by the declared minimum version,
 * and every prop given to a @grafana/ui component must be one it accepts there. The published
 * packages' exports are recorded in compat/grafana-<version>.json by scripts/grafana-exports.mjs.
 * The version recorded just below the minimum must miss something, so the minimum is not set higher
 * than the code needs.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';
import ts from 'typescript';
import pluginJson from './plugin.json';

type PackageExports = {
  exports: string[];
  htmlAttributes?: string[];
  props?: Record<string, { html?: boolean; own: string[] }>;
};
type Recorded = { version: string; packages: Record<string, PackageExports> };

const SRC = __dirname;
const COMPAT = path.join(__dirname, '..', 'compat');
const GRAFANA = /^@grafana\/(ui|data|runtime)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) {
      return f === 'test-utils' ? [] : sourceFiles(p);
    }
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

/** What the app's source takes from Grafana's packages: imported names, and props per @grafana/ui component. */
function usage() {
  const imports = new Map<string, Set<string>>(); // package -> names
  const props = new Map<string, Set<string>>(); // ui component -> props given
  for (const file of sourceFiles(SRC)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const uiNames = new Set<string>();
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const pkg = node.moduleSpecifier.text;
        const named = node.importClause?.namedBindings;
        if (GRAFANA.test(pkg) && named && ts.isNamedImports(named)) {
          for (const element of named.elements) {
            const name = (element.propertyName ?? element.name).text;
            imports.set(pkg, (imports.get(pkg) ?? new Set()).add(name));
            if (pkg === '@grafana/ui') {
              uiNames.add(element.name.text);
            }
          }
        }
      }
      if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && ts.isIdentifier(node.tagName)) {
        const tag = node.tagName.text;
        if (uiNames.has(tag)) {
          const given = props.get(tag) ?? new Set<string>();
          for (const attribute of node.attributes.properties) {
            if (ts.isJsxAttribute(attribute)) {
              given.add(attribute.name.getText(source));
            }
          }
          props.set(tag, given);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { imports, props };
}

function recorded(version: string): Recorded {
  return JSON.parse(readFileSync(path.join(COMPAT, `grafana-${version}.json`), 'utf8'));
}

const compare = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/** What the source uses that `version` lacks, as readable lines. */
function missing(version: string): string[] {
  const { packages } = recorded(version);
  const { imports, props } = usage();
  const out: string[] = [];
  for (const [pkg, names] of imports) {
    const exported = new Set(packages[pkg].exports);
    out.push(...[...names].filter((n) => !exported.has(n)).map((n) => `${pkg} ${n}`));
  }
  const ui = packages['@grafana/ui'];
  for (const [component, given] of props) {
    const accepted = ui.props?.[component];
    if (!accepted) {
      out.push(`@grafana/ui ${component}: props not recorded (re-run scripts/grafana-exports.mjs ${version})`);
      continue;
    }
    const ok = new Set([...accepted.own, ...(accepted.html ? (ui.htmlAttributes ?? []) : []), 'key', 'children']);
    out.push(
      ...[...given].filter((p) => !ok.has(p) && !p.startsWith('data-')).map((p) => `@grafana/ui <${component} ${p}>`),
    );
  }
  return out;
}

const declared = pluginJson.dependencies.grafanaDependency;
const minimum = /^>=(\d+\.\d+\.\d+)$/.exec(declared)?.[1];
const versions = readdirSync(COMPAT)
  .map((f) => /^grafana-(\d+\.\d+\.\d+)\.json$/.exec(f)?.[1])
  .filter((v): v is string => v !== undefined)
  .sort(compare);

test('plugin.json declares a minimum Grafana version that is recorded', () => {
  expect(minimum).toBeDefined();
  expect(versions).toContain(minimum);
});

test('the source finds what it imports from @grafana/* and the props it gives @grafana/ui components', () => {
  const { imports, props } = usage();
  // the scan sees the app's real imports and JSX (guards against a scan that finds nothing)
  expect(['Combobox', 'Field'].every((n) => imports.get('@grafana/ui')?.has(n))).toBe(true);
  expect(props.get('Field')?.has('label')).toBe(true);
});

test(`everything the source uses exists in the declared minimum (${declared})`, () => {
  expect(missing(minimum!)).toEqual([]);
});

test('the recorded version below the minimum lacks something the source uses (the minimum is not set too high)', () => {
  const below = versions.filter((v) => compare(v, minimum!) < 0).pop();
  expect(below).toBeDefined();
  // 12.0.0: Field has no noMargin prop yet
  expect(missing(below!)).toEqual(expect.arrayContaining([expect.stringMatching(/^@grafana\/ui /)]));
});

test('the Grafana images the repository runs are within the declared range', () => {
  const root = path.join(__dirname, '..', '..');
  const stack = /image: grafana\/grafana:(\d+\.\d+\.\d+)/.exec(
    readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'),
  );
  const e2e = /GRAFANA_VERSION:-(\d+\.\d+\.\d+)/.exec(
    readFileSync(path.join(__dirname, '..', '.config', 'docker-compose-base.yaml'), 'utf8'),
  );
  for (const image of [stack, e2e]) {
    expect(image).not.toBeNull();
    expect(compare(image![1], minimum!)).toBeGreaterThanOrEqual(0);
  }
});
