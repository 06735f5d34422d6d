/**
 * Scale-out (docs/scaling.md): two processor processes share one PostgreSQL store. Replica A
 * learns a service and is stopped; replica B, running since before A learned, takes the service
 * over and scores its very first record with A's model version and A's template ids, without relearning.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ATTR } from '@anomalog/shared';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import type { LogRecord } from '../../src/otlp/types';
import { Downstream, grpcExport, httpGet } from '../processor/helpers';
import { startPgServer, type PgServer } from '../store/pg-server';
import { batchOf, logRecord, normalLines } from '../lifecycle/records';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');

interface Replica {
  proc: ChildProcess;
  grpc: string;
  api: string;
  stop(): Promise<number | null>;
}

/** `anomalog` as npm start runs it, in its own process, on free ports; resolves once OTLP and API listen. */
function startReplica(pgUrl: string, downstream: string): Promise<Replica> {
  const proc = spawn(
    process.execPath,
    [
      join(ROOT, 'collector-processor', 'bin', 'anomalog.js'),
      '--store.kind=postgres',
      `--store.postgresUrl=${pgUrl}`,
      '--receiver.grpc.endpoint=127.0.0.1:0',
      '--receiver.http.enabled=false',
      '--telemetry.endpoint=127.0.0.1:0',
      '--api.endpoint=127.0.0.1:0',
      `--exporter.endpoint=${downstream}`,
      '--detection.defaultModel.learning.records=300',
    ],
    { cwd: ROOT, env: { ...process.env, ANOMALOG_TF_BACKEND: 'cpu' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr: string[] = [];
  proc.stderr!.on('data', (c: Buffer) => stderr.push(c.toString()));
  return new Promise((resolve, reject) => {
    let grpc = '';
    let api = '';
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const msg = JSON.parse(line) as { msg: string; grpc?: string; api?: string };
      if (msg.msg === 'anomalog processor started') grpc = msg.grpc!;
      if (msg.msg === 'API listening') api = msg.api!;
      if (grpc && api)
        resolve({
          proc,
          grpc,
          api,
          stop: () =>
            new Promise((done) => {
              proc.once('exit', (code) => done(code));
              proc.kill('SIGTERM');
            }),
        });
    });
    proc.once('exit', (code) => reject(new Error(`replica exited (${code}) before listening: ${stderr.join('')}`)));
  });
}

async function send(replica: Replica, messages: string[]): Promise<void> {
  const body = encodeLogsRequest(
    batchOf(
      'checkout',
      messages.map((m) => logRecord(m)),
    ).data,
  );
  const answer = await grpcExport(replica.grpc, body);
  if (answer.code !== 0) throw new Error(`export failed: ${answer.code} ${answer.details}`);
}

async function services(replica: Replica) {
  return JSON.parse((await httpGet(replica.api, '/api/v1/services')).body.toString()) as {
    service: string;
    status: string;
    activeVersion?: number;
  }[];
}

describe('two replicas sharing PostgreSQL', () => {
  let pg: PgServer;
  let downstream: Downstream;
  beforeAll(async () => {
    pg = await startPgServer();
    downstream = new Downstream();
  });
  afterAll(async () => {
    await downstream.stop();
    pg.stop();
  });

  test('a replica that takes over a service scores it at once with the stored model version and its templates', async () => {
    const url = await pg.createDatabase('replicas');
    const endpoint = await downstream.start();
    const a = await startReplica(url, endpoint);
    // B runs alongside A from the start: it must get checkout's templates when checkout reaches it,
    // not only what the store held when B started (miner snapshots are per service)
    const b = await startReplica(url, endpoint);
    const attr = (r: LogRecord, key: string) => r.attributes.find((kv) => kv.key === key)?.value;
    const recordsSince = (n: number) =>
      downstream
        .data()
        .slice(n)
        .flatMap((d) => d.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords)));
    try {
      try {
        // 'session opened for <*> today' after generalising: a miner without A's templates would
        // give 'session opened for carol today' a new id
        await send(a, [...normalLines(298), 'session opened for alice today', 'session opened for bob today']);
        for (let i = 0; i < 200; i++) {
          const [s] = await services(a);
          if (s?.status === 'scoring') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect((await services(a))[0]).toMatchObject({ service: 'checkout', status: 'scoring', activeVersion: 1 });
      } finally {
        expect(await a.stop()).toBe(0);
      }
      const fromA = recordsSince(0);
      const sessionId = attr(fromA[fromA.length - 1], ATTR.templateId)?.stringValue;
      expect(sessionId).toBeDefined();

      const before = downstream.data().length;
      await send(b, [
        'GET /api/items/77 200 in 12 ms',
        'database connection pool exhausted after 30 s',
        'session opened for carol today',
      ]);
      const records = recordsSince(before);
      expect(records).toHaveLength(3);
      expect(records.map((r) => attr(r, ATTR.unscored))).toEqual([undefined, undefined, undefined]);
      expect(attr(records[0], ATTR.isAnomaly)?.boolValue).toBe(false);
      expect(attr(records[1], ATTR.isAnomaly)?.boolValue).toBe(true);
      expect(attr(records[2], ATTR.templateId)?.stringValue).toBe(sessionId);
      expect((await services(b))[0]).toMatchObject({ service: 'checkout', status: 'scoring', activeVersion: 1 });
    } finally {
      expect(await b.stop()).toBe(0);
    }
  });
});
