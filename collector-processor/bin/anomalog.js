#!/usr/bin/env node
// The `anomalog` command runs the production build (collector-processor/dist/). In a checkout that
// has the TypeScript sources it first rebuilds dist/ when they changed (a hash of the sources
// otherwise), so the command never runs code older than the checkout; the image ships dist/ only.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const pkg = join(__dirname, '..');
if (existsSync(join(pkg, 'src'))) {
  execFileSync(process.execPath, [join(pkg, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
}
const { main } = require(join(pkg, 'dist', 'main.js'));
main(process.argv.slice(2), process.env).catch((err) => {
  console.error(`anomalog: failed to start: ${err.message}`);
  process.exit(1);
});
