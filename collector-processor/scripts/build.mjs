#!/usr/bin/env node
// Production build of the processor: every TypeScript file of collector-processor/src compiled to
// CommonJS under collector-processor/dist/ with the same layout (paths the code builds from
// __dirname, such as worker entries and ../package.json, stay right), and the shared package
// compiled into dist/node_modules/@anomalog/shared, where Node finds it from any file under dist/
// before the workspace link (whose entry is TypeScript). Type checking is `npm run typecheck`'s job.
//
//   node collector-processor/scripts/build.mjs             build
//   node collector-processor/scripts/build.mjs --if-stale  build only when the sources changed
//
// dist/BUILD_ID holds a hash of every input, so --if-stale costs a read of the sources. Concurrent
// callers (tests start several processes at once) take a lock, and the new tree replaces dist/ by
// rename, so no process ever loads a half-written build.
import { createHash } from 'node:crypto';
import {
  existsSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(pkgDir, '..');
const srcDir = join(pkgDir, 'src');
const sharedDir = join(root, 'shared');
const dist = join(pkgDir, 'dist');
const lock = join(pkgDir, '.dist.lock');

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
    .sort();
}

function inputsHash() {
  const hash = createHash('sha256');
  const files = [
    ...tsFiles(srcDir),
    ...tsFiles(join(sharedDir, 'src')),
    join(sharedDir, 'package.json'),
    fileURLToPath(import.meta.url),
  ];
  for (const f of files) hash.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex');
}

function isFresh(id) {
  const file = join(dist, 'BUILD_ID');
  return existsSync(file) && readFileSync(file, 'utf8').trim() === id;
}

async function withLock(fn) {
  const until = Date.now() + 120_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A lock older than any build is left over from a killed builder.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { force: true });
      } catch {
        /* removed meanwhile */
      }
      if (Date.now() > until) throw new Error(`build lock ${lock} held for over 2 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

async function build(id) {
  const { build: esbuild } = await import('esbuild');
  const out = `${dist}.tmp-${process.pid}`;
  rmSync(out, { recursive: true, force: true });
  const common = { format: 'cjs', platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' };
  await esbuild({ ...common, entryPoints: tsFiles(srcDir), outbase: srcDir, outdir: out });
  const sharedOut = join(out, 'node_modules', '@anomalog', 'shared');
  await esbuild({
    ...common,
    entryPoints: tsFiles(join(sharedDir, 'src')),
    outbase: join(sharedDir, 'src'),
    outdir: sharedOut,
  });
  const sharedPkg = JSON.parse(readFileSync(join(sharedDir, 'package.json'), 'utf8'));
  writeFileSync(
    join(sharedOut, 'package.json'),
    JSON.stringify({ name: sharedPkg.name, version: sharedPkg.version, private: true, main: 'index.js' }, null, 2) +
      '\n',
  );
  writeFileSync(join(out, 'BUILD_ID'), id + '\n');
  rmSync(dist, { recursive: true, force: true });
  renameSync(out, dist);
}

const ifStale = process.argv.includes('--if-stale');
const id = inputsHash();
if (ifStale && isFresh(id)) process.exit(0);
await withLock(async () => {
  if (ifStale && isFresh(id)) return; // built by the process that held the lock
  const started = Date.now();
  await build(id);
  console.error(`collector-processor: built dist/ in ${Date.now() - started} ms`);
});
