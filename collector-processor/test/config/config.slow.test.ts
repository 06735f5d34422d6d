import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load';
import { renderConfigDocs } from '../../src/config/docs';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { sampleLogsData } from '../processor/fixtures';
import { grpcExport, waitFor } from '../processor/helpers';

jest.setTimeout(30000);

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'anomalog-config-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses embedded defaults with no file, variables or flags', () => {
    const { config } = loadConfig({ argv: [], env: {} });
    expect(config.receiver.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(config.receiver.maxRecvMsgSizeMiB).toBe(4);
    expect(config.exporter.endpoint).toBeUndefined();
  });

  it('layers file < environment < flags', () => {
    const f = file(
      'layers.yaml',
      'receiver:\n  grpc:\n    endpoint: 127.0.0.1:1111\n  maxConcurrentRequests: 7\nexporter:\n  endpoint: a:1\n',
    );
    const { config } = loadConfig({
      argv: ['--config', f, '--exporter.endpoint=c:3', '--exporter.tls.insecure', 'false'],
      env: {
        ANOMALOG_EXPORTER_ENDPOINT: 'b:2',
        ANOMALOG_RECEIVER_MAX_CONCURRENT_REQUESTS: '9',
        ANOMALOG_RECEIVER_MAX_RECV_MSG_SIZE_MIB: '8',
        ANOMALOG_EXPORTER_HEADERS: 'x-api-key=k1,x-tenant=t',
      },
    });
    expect(config.receiver.grpc.endpoint).toBe('127.0.0.1:1111');
    expect(config.receiver.maxConcurrentRequests).toBe(9);
    expect(config.receiver.maxRecvMsgSizeMiB).toBe(8);
    expect(config.exporter.endpoint).toBe('c:3');
    expect(config.exporter.tls.insecure).toBe(false);
    expect(config.exporter.headers).toEqual({ 'x-api-key': 'k1', 'x-tenant': 't' });
  });

  it.each([
    [
      'a schema violation names the path and reason',
      { argv: ['--receiver.maxConcurrentRequests=0'], env: {} },
      /receiver\.maxConcurrentRequests: Expected integer to be greater or equal to 1/,
    ],
    [
      'an unknown key in the file names the path',
      { argv: ['--config', 'UNKNOWN'], env: {} },
      /receiver: Unexpected property|receiver\.grcp/,
    ],
    [
      'a non-number in a variable names variable and key',
      { argv: [], env: { ANOMALOG_EXPORTER_TIMEOUT_MS: 'soon' } },
      /exporter\.timeoutMs \(environment ANOMALOG_EXPORTER_TIMEOUT_MS\): expected an integer, got "soon"/,
    ],
    [
      'a bad enum names the choices',
      { argv: ['--exporter.protocol=udp'], env: {} },
      /exporter\.protocol \(--exporter\.protocol\): expected one of grpc, http\/protobuf/,
    ],
    ['an unknown flag', { argv: ['--receiver.nope=1'], env: {} }, /--receiver\.nope: no such key/],
    [
      'a missing file',
      { argv: ['--config', '/nonexistent/anomalog.yaml'], env: {} },
      /\/nonexistent\/anomalog\.yaml: cannot read/,
    ],
    [
      'a default session regex that does not compile',
      {
        argv: ['--detection.defaultModel.sessionKey.kind=regex', '--detection.defaultModel.sessionKey.regex=blk_('],
        env: {},
      },
      /detection\.defaultModel\.sessionKey\.regex: Not a valid regular expression/,
    ],
    [
      'a default session attribute left empty',
      { argv: ['--detection.defaultModel.sessionKey.kind=attribute'], env: {} },
      /detection\.defaultModel\.sessionKey\.attribute: Name the attribute/,
    ],
    ['broken YAML names the file', { argv: ['--config', 'BROKEN'], env: {} }, /broken\.yaml: YAML error/],
  ])('%s', (_name, input, message) => {
    const argv = input.argv.map((a) =>
      a === 'UNKNOWN'
        ? file('unknown.yaml', 'receiver:\n  grcp:\n    endpoint: x\n')
        : a === 'BROKEN'
          ? file('broken.yaml', 'receiver: [\n')
          : a,
    );
    expect(problemsOf(() => loadConfig({ argv, env: input.env })).join('\n')).toMatch(message);
  });

  it('reports ANOMALOG_* variables that match no key', () => {
    expect(loadConfig({ argv: [], env: { ANOMALOG_RECIEVER_X: '1', ANOMALOG_DATASETS: '/d' } }).unknownEnv).toEqual([
      'ANOMALOG_RECIEVER_X',
    ]);
  });
});

it('docs/configuration.md is up to date with the schema (run `npm run docs:config`)', () => {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
  expect(doc.trim()).toBe(renderConfigDocs().trim());
});

describe('main (the CLI, in its own process)', () => {
  const main = join(__dirname, '..', '..', 'src', 'main.ts');
  const run = (args: string[]) =>
    spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('a bad config fails at start with exit code 2, naming path and reason', async () => {
    const child = run(['--receiver.maxRecvMsgSizeMiB=-1']);
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(stderr).toMatch(/receiver\.maxRecvMsgSizeMiB: Expected number to be greater than 0/);
  });

  it('starts on ephemeral ports, says there is no downstream, serves, and exits 0 on SIGTERM', async () => {
    const child = run([
      '--receiver.grpc.endpoint=127.0.0.1:0',
      '--receiver.http.endpoint=127.0.0.1:0',
      '--telemetry.endpoint=127.0.0.1:0',
    ]);
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitFor(() => stdout.includes('no downstream configured'), 15000, 'start-up log');
      const started = stdout
        .split('\n')
        .map((l) => (l ? JSON.parse(l) : {}))
        .find((l) => l.msg === 'anomalog processor started');
      expect((await grpcExport(started.grpc, encodeLogsRequest(sampleLogsData()))).code).toBe(0);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toContain('processor stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
