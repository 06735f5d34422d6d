// Builds the browser harness (harness/dist/harness.js): the pages plus React and @grafana/* bundled in,
// since there is no Grafana to provide them.
const path = require('path');

module.exports = {
  mode: 'development',
  devtool: false,
  entry: { harness: path.join(__dirname, 'index.tsx') },
  output: { path: path.join(__dirname, 'dist'), filename: '[name].js' },
  module: {
    rules: [
      {
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: {
              target: 'es2020',
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'automatic' } },
            },
          },
        },
      },
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(svg|png|woff2?|ttf|eot)$/, type: 'asset/inline' },
    ],
  },
  resolve: { extensions: ['.js', '.jsx', '.ts', '.tsx'], extensionAlias: { '.js': ['.ts', '.js'] } },
  performance: { hints: false },
};
