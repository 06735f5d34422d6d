/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are walked structurally. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_PREFIX } from '@anomalog/shared';
import { BUILD_TIMEOUT_MS, ROOT, buildTools, one, podSpec, render } from './tools';

// This suite runs the rendered pod as a process: slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(120_000);

/**
 * The pod as the chart renders it, run here without Kubernetes: the container's command and args, its
 * ConfigMap as the config file, its environment with the Secret's values, as kubelet would give them. Then
 * the chart's `helm test` script against it, and SIGTERM within the grace period.
 */
beforeAll(buildTools, BUILD_TIMEOUT_MS);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, proc: ChildProcess, log: string[]): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`processor exited ${proc.exitCode}: ${log.join('')}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready: ${log.join('')}`);
}

test('the rendered pod starts, passes its probes and the helm test, guards its API, stops on SIGTERM', async () => {
  const [grpc, http, api, telemetry] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-pod-'));
  // Loopback instead of 0.0.0.0 (this machine is shared); api.auth=on keeps the token required as in a cluster.
  const docs = render(
    [],
    [
      `config.receiver.grpc.endpoint=127.0.0.1:${grpc}`,
      `config.receiver.http.endpoint=127.0.0.1:${http}`,
      `config.api.endpoint=127.0.0.1:${api}`,
      `config.telemetry.endpoint=127.0.0.1:${telemetry}`,
      'config.api.auth=on',
      `config.store.dataDir=${dir}/data`,
    ],
  );
  const pod = podSpec(docs);
  const container = pod.containers[0];
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, one(docs, 'ConfigMap').data['config.yaml']);
  const secret = one(docs, 'Secret');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const e of container.env) {
    const ref = e.valueFrom?.secretKeyRef;
    env[e.name] = ref ? Buffer.from(secret.data[ref.key], 'base64').toString() : e.value;
  }
  const args = container.args.map((a: string) => (a === '/etc/anomalog/config.yaml' ? configFile : a));
  expect(container.command[0]).toBe('node');
  // The image's WORKDIR is the repository root.
  const proc = spawn(process.execPath, [...container.command.slice(1), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  proc.stdout!.on('data', (c: Buffer) => log.push(c.toString()));
  proc.stderr!.on('data', (c: Buffer) => log.push(c.toString()));
  try {
    const probe = (p: any) => `http://127.0.0.1:${telemetry}${p.httpGet.path}`;
    await waitReady(probe(container.startupProbe), proc, log);
    expect((await fetch(probe(container.livenessProbe))).status).toBe(200);
    expect((await fetch(probe(container.readinessProbe))).status).toBe(200);

    const check = docs.find((d) => d.kind === 'Pod' && d.metadata.annotations?.['helm.sh/hook'] === 'test');
    const script = (check.spec.containers[0].args[0] as string).replace(
      'http://anomalog.observability.svc:',
      'http://127.0.0.1:',
    );
    expect(check.spec.containers[0].command).toEqual(['node', '-e']);
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 });
    expect([run.status, run.stdout + run.stderr]).toEqual([0, expect.stringMatching(/API health: .* -> 200/)]);
    expect(run.stdout).toMatch(/readiness: .* -> 200/);
    expect(run.stdout).toMatch(/OTLP\/HTTP receiver: .*\/v1\/logs -> 405/);

    const services = `http://127.0.0.1:${api}${API_PREFIX}/services`;
    expect((await fetch(services)).status).toBe(401);
    const authorized = await fetch(services, { headers: { authorization: `Bearer ${env.ANOMALOG_API_TOKEN}` } });
    expect(authorized.status).toBe(200);
  } finally {
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      if (proc.exitCode !== null) return resolve(proc.exitCode);
      proc.once('exit', (c) => resolve(c));
      proc.kill('SIGTERM');
    });
    expect([code, log.join('')]).toEqual([0, expect.not.stringContaining('"level":50')]);
    expect(Date.now() - started).toBeLessThan(pod.terminationGracePeriodSeconds * 1000);
  }
});
