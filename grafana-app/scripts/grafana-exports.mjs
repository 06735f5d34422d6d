#!/usr/bin/env node
// Records what published @grafana/ui, @grafana/data and @grafana/runtime versions export, so a test can
// check the app's imports against the Grafana version plugin.json declares as its minimum
// (src/grafanaDependency.test.ts). For each version: every exported name, and for the @grafana/ui
// components the app renders, the props they accept. Written to compat/grafana-<version>.json.
//
//   node grafana-app/scripts/grafana-exports.mjs 12.0.0 12.1.0
//
// Uses `npm pack` (the registry's tarballs, no install) into a temp dir and TypeScript's checker on the
// packages' declaration files.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['ui', 'data', 'runtime'];
const REPO_MODULES = path.resolve(APP, '..', 'node_modules');

/**
 * A node_modules for one version: the packed @grafana packages, and the repository's installed ones for
 * everything they import (React's types above all, so inherited props such as a button's resolve).
 */
function moduleDir(root) {
  const modules = path.join(root, 'node_modules');
  mkdirSync(path.join(modules, '@grafana'), { recursive: true });
  for (const entry of readdirSync(REPO_MODULES)) {
    if (entry !== '@grafana' && !entry.startsWith('.'))
      symlinkSync(path.join(REPO_MODULES, entry), path.join(modules, entry));
  }
  for (const entry of readdirSync(path.join(REPO_MODULES, '@grafana'))) {
    if (!PACKAGES.includes(entry)) {
      symlinkSync(path.join(REPO_MODULES, '@grafana', entry), path.join(modules, '@grafana', entry));
    }
  }
  return modules;
}

/** Names of the @grafana/ui components the app's source renders as JSX (props are recorded for these). */
function renderedUiComponents() {
  const names = new Set();
  const walk = (dir) => {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx$/.test(f)) {
        for (const m of readFileSync(p, 'utf8').matchAll(/import\s+\{([^}]*)\}\s+from\s+'@grafana\/ui'/g)) {
          for (const n of m[1].split(',').map((s) => s.trim().replace(/^type\s+/, ''))) {
            if (/^[A-Z]/.test(n)) names.add(n);
          }
        }
      }
    }
  };
  walk(path.join(APP, 'src'));
  return names;
}

function typesEntry(dir) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const rel = pkg.exports?.['.']?.import?.types ?? pkg.types ?? pkg.typings;
  return path.join(dir, rel);
}

/** The props of a component type: the first parameter of its call or construct signature. */
function propsOf(checker, type) {
  const signatures = [...type.getCallSignatures(), ...type.getConstructSignatures()];
  for (const sig of signatures) {
    const param = sig.getParameters()[0];
    if (param) {
      const declaration = param.valueDeclaration ?? param.declarations?.[0];
      const propsType = checker.getTypeOfSymbolAtLocation(param, declaration);
      return checker.getPropertiesOfType(propsType).map((p) => p.getName());
    }
  }
  return [];
}

function describe(dir, components) {
  const entry = typesEntry(dir);
  const program = ts.createProgram([entry], {
    skipLibCheck: true,
    types: [],
    jsx: ts.JsxEmit.ReactJSX,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    module: ts.ModuleKind.ESNext,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const exports = checker
    .getExportsOfModule(moduleSymbol)
    .map((s) => s.getName())
    .sort();
  const props = {};
  // Props every HTML element takes (React's HTMLAttributes), recorded once as `html: true`.
  const html = new Set(components ? htmlAttributes(program, checker) : []);
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    if (!components?.has(symbol.getName())) continue;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = target.valueDeclaration ?? target.declarations?.[0];
    if (!declaration) continue;
    const all = new Set(propsOf(checker, checker.getTypeOfSymbolAtLocation(target, declaration)));
    const inherits = html.size > 0 && [...html].every((p) => all.has(p));
    const own = [...all].filter((p) => !(inherits && html.has(p))).sort();
    props[symbol.getName()] = inherits ? { html: true, own } : { own };
  }
  return components ? { exports, htmlAttributes: [...html].sort(), props } : { exports };
}

/** The properties of React.HTMLAttributes<HTMLElement>, resolved from the repository's @types/react. */
function htmlAttributes(program, checker) {
  const react = program.getSourceFiles().find((f) => /@types\/react\/index\.d\.ts$/.test(f.fileName));
  if (!react) throw new Error('@types/react not reached from the packages');
  const ns = checker.getSymbolAtLocation(react);
  const reactNs = checker.getExportsOfModule(ns).find((s) => s.getName() === 'React') ?? ns;
  const members = reactNs.exports ?? checker.getExportsOfModule(reactNs);
  const attrs =
    (members.get ? members.get('HTMLAttributes') : undefined) ??
    checker.getExportsOfModule(reactNs).find((s) => s.getName() === 'HTMLAttributes');
  const type = checker.getDeclaredTypeOfSymbol(attrs);
  return checker.getPropertiesOfType(type).map((p) => p.getName());
}

const versions = process.argv.slice(2);
if (versions.length === 0) {
  console.error('usage: grafana-exports.mjs <version>...');
  process.exit(1);
}
const components = renderedUiComponents();
const work = mkdtempSync(path.join(tmpdir(), 'grafana-exports-'));
try {
  for (const version of versions) {
    const out = { version, packages: {} };
    const modules = moduleDir(path.join(work, version));
    for (const name of PACKAGES) {
      const dir = path.join(work, `${name}-${version}`);
      mkdirSync(dir);
      const file = execFileSync('npm', ['pack', `@grafana/${name}@${version}`, '--silent'], { cwd: dir })
        .toString()
        .trim()
        .split('\n')
        .pop();
      execFileSync('tar', ['xzf', file], { cwd: dir });
      if (!existsSync(path.join(dir, 'package', 'package.json'))) throw new Error(`no package in ${file}`);
      renameSync(path.join(dir, 'package'), path.join(modules, '@grafana', name));
    }
    for (const name of PACKAGES) {
      const pkgDir = path.join(modules, '@grafana', name);
      out.packages[`@grafana/${name}`] = describe(pkgDir, name === 'ui' ? components : undefined);
    }
    const target = path.join(APP, 'compat', `grafana-${version}.json`);
    writeFileSync(target, `${JSON.stringify(out)}\n`);
    // in the repository's own format, so `npm run lint` (prettier --check) passes on it
    execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', target]);
    const counts = Object.entries(out.packages).map(([n, p]) => `${n} ${p.exports.length}`);
    console.log(`${target}: ${counts.join(', ')} exports`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
