#!/usr/bin/env node
// The `anomalog` command: runs the TypeScript sources through tsx's require hook (no build step).
require('tsx/cjs/api').register();
const { main } = require('../src/main.ts');
main(process.argv.slice(2), process.env).catch((err) => {
  console.error(`anomalog: failed to start: ${err.message}`);
  process.exit(1);
});
