/*
 * Production/development webpack config in the shape of @grafana/create-plugin's (entry src/module.tsx,
 * AMD library output, Grafana's shared packages as externals, plugin.json/img/README copied to dist/).
 * Kept as CommonJS because create-plugin's TypeScript config needs Node 22 type stripping and this
 * repository runs on Node 20. @anomalog/shared is a TypeScript workspace package, so swc compiles it too.
 */
const path = require('path');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const ReplaceInFileWebpackPlugin = require('replace-in-file-webpack-plugin');

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE_DIR = path.join(ROOT, 'src');
const DIST_DIR = path.join(ROOT, 'dist');
const SHARED_DIR = path.resolve(ROOT, '..', 'shared');
const pluginJson = require(path.join(SOURCE_DIR, 'plugin.json'));
const { version } = require(path.join(ROOT, 'package.json'));

/** Packages Grafana provides at runtime; bundling them would load a second copy of React etc. */
const externals = [
  { 'amd-module': 'module' },
  'lodash',
  'moment',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'react',
  'react/jsx-runtime',
  'react-dom',
  'react-router',
  'react-router-dom',
  'rxjs',
  'i18next',
  /^@grafana\/ui/i,
  /^@grafana\/runtime/i,
  /^@grafana\/data/i,
];

const swcRule = {
  test: /\.[tj]sx?$/,
  include: [SOURCE_DIR, SHARED_DIR],
  use: {
    loader: 'swc-loader',
    options: {
      jsc: {
        target: 'es2018',
        parser: { syntax: 'typescript', tsx: true },
        transform: { react: { runtime: 'automatic' } },
      },
    },
  },
};

module.exports = (env = {}) => ({
  context: SOURCE_DIR,
  devtool: env.production ? 'source-map' : 'eval-source-map',
  entry: { module: './module.tsx', 'panels/log-anomalies/module': './panels/log-anomalies/module.tsx' },
  externals,
  mode: env.production ? 'production' : 'development',
  module: { rules: [swcRule, { test: /\.css$/, use: ['style-loader', 'css-loader'] }] },
  output: {
    clean: true,
    filename: '[name].js',
    library: { type: 'amd' },
    path: DIST_DIR,
    publicPath: `public/plugins/${pluginJson.id}/`,
    uniqueName: pluginJson.id,
  },
  plugins: [
    new CopyWebpackPlugin({
      patterns: [
        { from: 'plugin.json', to: '.' },
        { from: 'README.md', to: '.' },
        { from: 'img', to: 'img' },
        { from: 'panels/**/plugin.json', to: '.' },
      ],
    }),
    new ReplaceInFileWebpackPlugin([
      {
        dir: DIST_DIR,
        files: ['plugin.json', 'panels/log-anomalies/plugin.json', 'README.md'],
        rules: [
          { search: /%VERSION%/g, replace: version },
          { search: /%TODAY%/g, replace: new Date().toISOString().substring(0, 10) },
          { search: /%PLUGIN_ID%/g, replace: pluginJson.id },
        ],
      },
    ]),
  ],
  resolve: {
    extensions: ['.js', '.jsx', '.ts', '.tsx'],
    // shared/ uses NodeNext-style imports; let webpack find './x' for './x.js' too.
    extensionAlias: { '.js': ['.ts', '.js'] },
  },
  performance: { hints: false },
});
