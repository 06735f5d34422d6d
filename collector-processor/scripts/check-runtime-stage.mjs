#!/usr/bin/env node
// Checks the Docker image's runtime stage without a Docker engine: follows the last stage of
// collector-processor/Dockerfile in a temp directory standing in for its WORKDIR. COPY lines copy
// from the repository (COPY --from=build takes the build stage's output, dist/, built here first),
// `npm ci` runs as written plus --offline (from this machine's npm cache), ENV is applied (paths
// under / are moved into the temp directory), then the CMD starts the service and the HEALTHCHECK
// command must succeed, as Docker would run it.
//
//   node collector-processor/scripts/check-runtime-stage.mjs [--keep]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dockerfile = readFileSync(join(root, 'collector-processor', 'Dockerfile'), 'utf8');
// Continuation lines joined, comments dropped; the runtime stage is everything after the last FROM.
const lines = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stage = lines.slice(lines.findLastIndex((l) => l.startsWith('FROM ')) + 1);
const buildWorkdir = lines.find((l) => l.startsWith('WORKDIR '))?.split(/\s+/)[1] ?? '/';

const work = mkdtempSync(join(tmpdir(), 'anomalog-runtime-stage-'));
const app = join(work, 'app');
mkdirSync(app);
/** An absolute image path (outside WORKDIR) mapped into the temp directory. */
const inWork = (p) => join(work, 'root', p);
const env = { PATH: process.env.PATH, HOME: process.env.HOME };
let cmd;
let healthcheck;

function log(msg) {
  console.error(`check-runtime-stage: ${msg}`);
}

execFileSync(process.execPath, [join(root, 'collector-processor', 'scripts', 'build.mjs'), '--if-stale'], {
  stdio: 'inherit',
});
for (const line of stage) {
  const [op, ...rest] = line.split(/\s+/);
  const args = rest.join(' ');
  if (op === 'COPY') {
    const from = rest[0].startsWith('--from=');
    const paths = from ? rest.slice(1) : rest;
    const dest = join(app, paths.pop());
    for (const src of paths) {
      // The build stage's WORKDIR is the repository root in the image.
      const source = from ? join(root, src.slice(buildWorkdir.length)) : join(root, src);
      const target = dest.endsWith('/') || paths.length > 1 ? join(dest, src.split('/').pop()) : dest;
      mkdirSync(dirname(target), { recursive: true });
      cpSync(source, target, { recursive: true });
    }
    log(`COPY ${args}`);
  } else if (op === 'RUN') {
    const npmCi = args.split('&&').find((c) => c.trim().startsWith('npm ci'));
    if (npmCi) {
      log(`RUN ${npmCi.trim()} --offline`);
      execFileSync('sh', ['-c', `${npmCi} --offline`], { cwd: app, stdio: 'inherit', env: { ...process.env, ...env } });
    } else log(`RUN ${args} (skipped: needs root in the image)`);
  } else if (op === 'ENV') {
    const [key, value] = args.split('=');
    env[key] = value.startsWith('/') ? inWork(value) : value;
    if (value.startsWith('/')) mkdirSync(env[key], { recursive: true });
  } else if (op === 'HEALTHCHECK') healthcheck = JSON.parse(args.slice(args.indexOf('CMD ') + 4));
  else if (op === 'CMD') cmd = JSON.parse(args);
}
if (!cmd || !healthcheck) throw new Error('the runtime stage has no CMD or HEALTHCHECK');

// Loopback ports of this machine instead of the image's own network namespace.
const free = await new Promise((resolve) => {
  import('node:net').then(({ createServer }) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
});
Object.assign(env, {
  ANOMALOG_TELEMETRY_ENDPOINT: `127.0.0.1:${free}`,
  ANOMALOG_RECEIVER_GRPC_ENDPOINT: '127.0.0.1:0',
  ANOMALOG_RECEIVER_HTTP_ENDPOINT: '127.0.0.1:0',
  ANOMALOG_API_ENDPOINT: '127.0.0.1:0',
});
log(`CMD ${cmd.join(' ')}`);
const service = spawn(cmd[0], cmd.slice(1), { cwd: app, env, stdio: ['ignore', 'pipe', 'inherit'] });
const output = [];
service.stdout.on('data', (c) => output.push(c.toString()));
let healthy = false;
const until = Date.now() + 120_000;
while (!healthy && Date.now() < until && service.exitCode === null) {
  await new Promise((r) => setTimeout(r, 1000));
  healthy = spawnSync(healthcheck[0], healthcheck.slice(1), { cwd: app, env, timeout: 5000 }).status === 0;
}
service.kill('SIGTERM');
await new Promise((r) => (service.exitCode === null ? service.once('exit', r) : r()));
if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
if (!healthy) {
  console.error(output.join(''));
  log(`FAILED: the HEALTHCHECK never passed (service exit ${service.exitCode})`);
  process.exit(1);
}
log(`OK: the runtime stage's CMD serves and its HEALTHCHECK passes (exit on SIGTERM: ${service.exitCode})`);
