#!/usr/bin/env bash
# Typechecks and runs the app's Jest tests against other Grafana versions than the pinned one, in a temp
# dir (the repository's node_modules are left alone):
#   react19  @grafana/* 13.2.3 with React 19, as Grafana 13.2 and later run the app
#   oldest   @grafana/* at plugin.json's grafanaDependency minimum, with React 18
# Usage: grafana-app/scripts/compat.sh [react19|oldest|all]   (default all). Needs the npm registry.
# The browser tests (harness/, Chromium) are left out: they bundle the pinned packages.
set -euo pipefail

APP="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(dirname "$APP")"
MINIMUM="$(node -p "require('$APP/src/plugin.json').dependencies.grafanaDependency.replace('>=', '')")"

# versions of the test tooling: the ones the repository installs
installed() { node -p "require('$ROOT/node_modules/$1/package.json').version"; }

run() {
  local name="$1" grafana="$2" react="$3" types_react="$4" types_react_dom="$5"
  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/anomalog-compat-$name-XXXX")"
  echo "== $name: @grafana/* $grafana, react $react (in $work)"
  mkdir -p "$work/shared" "$work/grafana-app"
  cp -r "$ROOT/shared/src" "$ROOT/shared/package.json" "$work/shared/"
  (cd "$APP" && cp -r src harness compat .config jest.config.js jest-setup.js tsconfig.json "$work/grafana-app/")
  # the browser tests and their helpers bundle the pinned packages and drive Chromium
  rm -f "$work"/grafana-app/src/*.browser.test.ts "$work"/grafana-app/src/test-utils/{browser,realProcessor}.ts
  # the shared package resolves its own imports (TypeBox) from the app's install
  ln -s ../grafana-app/node_modules "$work/shared/node_modules"
  # files of the repository the tests read (provisioning, the stack's compose file)
  cp -r "$ROOT/provisioning" "$ROOT/docker-compose.yml" "$work/"
  # newer @grafana/ui pulls in more ESM-only packages, which Jest must compile too
  cat >"$work/grafana-app/jest.compat.config.js" <<'JS'
const base = require('./jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');
module.exports = { ...base, transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, '@react-hookz', '@ver0', 'yaml'])] };
JS
  node - "$work/grafana-app/package.json" <<JS
const fs = require('fs');
const app = require('$APP/package.json');
const pin = (deps) => Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, k.startsWith('@grafana/') ? '$grafana' : v]));
const pkg = {
  name: 'anomalog-grafana-app-compat',
  private: true,
  dependencies: {
    ...pin(app.dependencies),
    '@anomalog/shared': 'file:../shared',
    react: '$react',
    'react-dom': '$react',
  },
  devDependencies: {
    '@sinclair/typebox': '$(installed @sinclair/typebox)',
    '@swc/core': '$(installed @swc/core)',
    '@swc/jest': '$(installed @swc/jest)',
    '@testing-library/dom': app.devDependencies['@testing-library/dom'],
    '@testing-library/jest-dom': app.devDependencies['@testing-library/jest-dom'],
    '@testing-library/react': app.devDependencies['@testing-library/react'],
    '@types/jest': '$(installed @types/jest)',
    '@types/node': '$(installed @types/node)',
    '@types/react': '$types_react',
    '@types/react-dom': '$types_react_dom',
    yaml: '$(installed yaml)',
    'identity-obj-proxy': app.devDependencies['identity-obj-proxy'],
    jest: '$(installed jest)',
    'jest-environment-jsdom': app.devDependencies['jest-environment-jsdom'],
    typescript: '$(installed typescript)',
  },
  // @grafana/ui 12.x takes its data grid from a GitHub tarball (grafana/react-data-grid#<commit>), out
  // of reach without internet; the same fork is on npm, as later @grafana/ui versions use it
  overrides: { 'react-data-grid': 'npm:@grafana/react-data-grid@$(installed @grafana/react-data-grid)' },
};
fs.writeFileSync(process.argv[2], JSON.stringify(pkg, null, 2));
JS
  (
    cd "$work/grafana-app"
    # npm 11 runs no install scripts of dependencies unless allowed; @swc/core ships prebuilt binaries
    npm install --no-audit --no-fund --loglevel=error >"$work/install.log" 2>&1 || {
      tail -30 "$work/install.log"
      exit 1
    }
    echo "-- installed: $(node -p "['@grafana/ui','@grafana/data','@grafana/runtime','react'].map(p => p + ' ' + require(p + '/package.json').version).join(', ')")"
    echo "-- typecheck"
    npx tsc -p tsconfig.json --noEmit
    echo "-- jest"
    npx jest --ci --maxWorkers=2 -c jest.compat.config.js 2>&1 | grep -E '^(PASS|FAIL)|Tests:|Suites:|●' | grep -v '● Console'
    test "${PIPESTATUS[0]}" -eq 0
  )
  rm -rf "$work"
  echo "== $name: passed"
}

case "${1:-all}" in
  react19) run react19 13.2.3 19.2.8 19.2.6 19.2.7 ;;
  oldest) run oldest "$MINIMUM" 18.3.1 18.3.31 18.3.7 ;;
  all)
    run react19 13.2.3 19.2.8 19.2.6 19.2.7
    run oldest "$MINIMUM" 18.3.1 18.3.31 18.3.7
    ;;
  *)
    echo "usage: $0 [react19|oldest|all]" >&2
    exit 2
    ;;
esac
