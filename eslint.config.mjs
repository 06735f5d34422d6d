import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

// The processor's layers (docs/architecture.md, "The arrows"). Each zone names the files it
// restricts (`target`) and what they must not import (`from`): the data flows receive → chain →
// export, the chain uses the algorithm libraries, and nothing below reaches back up.
const src = 'collector-processor/src';
const at = (...folders) => folders.map((f) => `${src}/${f}`);
/** The composition and outer layers: only they wire stages together. */
const app = at('anomalog.ts', 'processor.ts', 'main.ts', 'index.ts', 'api', 'cli', 'demo', 'evaluate', 'config');
/** The annotation chain, the per-service registry and the training around it. */
const flow = at('receive', 'chain', 'export', 'lifecycle', 'training');

const zone = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

const layers = [
  zone(
    at('parse', 'features', 'detect', 'matrix'),
    [...app, ...flow, ...at('model', 'store', 'telemetry', 'net')],
    'parse/, features/, detect/ and matrix/ are libraries: they import no stage, model, store or app module.',
  ),
  zone(at('features', 'matrix'), at('detect'), 'features/ and detect/ are peers: what both need lives in matrix/.'),
  zone(at('detect', 'matrix'), at('features'), 'features/ and detect/ are peers: what both need lives in matrix/.'),
  zone(
    at('model'),
    [...app, ...flow, ...at('store')],
    'model/ holds fitted models: it uses detect/ and features/, never the chain, lifecycle, training or store.',
  ),
  zone(
    at('training'),
    [...app, ...at('receive', 'chain', 'export', 'lifecycle', 'store')],
    'training/ fits models; the lifecycle schedules it, not the reverse.',
  ),
  zone(
    at('lifecycle'),
    [...app, ...at('receive', 'chain', 'export')],
    'lifecycle/ serves the chain: it imports no chain, receive or export module.',
  ),
  zone(at('chain'), [...app, ...at('receive')], 'receive → chain → export: the chain never reaches back to receive.'),
  zone(
    at('export'),
    [...app, ...at('receive', 'chain', 'lifecycle', 'training', 'model', 'store')],
    'export/ is the end of the flow: it imports no stage before it.',
  ),
  zone(
    at('receive'),
    [...app, ...at('export', 'lifecycle', 'training', 'model', 'store')],
    'receive/ hands records to the chain only.',
  ),
  zone(
    at('store'),
    [...app, ...flow, ...at('model', 'detect', 'features', 'matrix')],
    'store/ persists what the stages produce; it imports no stage (parse/ interfaces only).',
  ),
  zone(
    at('telemetry'),
    [...app, ...flow, ...at('model', 'store', 'parse', 'features', 'detect')],
    'telemetry/ is used by every layer and imports none of them.',
  ),
  zone(at('net'), [src], 'net/ is plain networking: it imports nothing of the app.', ['./net']),
  zone(at('otlp'), [src], 'otlp/ is the wire format: it imports only util/.', ['./otlp', './util']),
  zone(at('util'), [src], 'util/ imports nothing of the app.', ['./util']),
  zone(
    ['bench', 'grafana-app/harness'],
    [src],
    "bench/ and the app's harness use the processor through its package index (collector-processor/src/index.ts) only.",
    ['./index.ts'],
  ),
  zone(
    ['shared/src'],
    ['collector-processor', 'grafana-app', 'bench'],
    'shared/ is the contract: it imports nothing of the processor or the app.',
  ),
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      'grafana-app/.config/**',
      'bench/results/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      // parse .ts dependencies too (the default is .js only), so no-cycle follows them
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layers }],
    },
  },
);
