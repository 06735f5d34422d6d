/**
 * Scale-out through a real Collector (docs/scaling.md): the `load_balancing` exporter with
 * `routing_key: service` in front of two processor replicas that share one PostgreSQL store.
 * Each replica sends to its own receiver of one downstream Collector (its own output file), so
 * the file a record lands in names the replica that handled it.
 */
import { join } from 'node:path';
import { ATTR } from '@anomalog/shared';
import { startPgServer, type PgServer } from '../store/pg-server';
import {
  BUILD_TIMEOUT_MS,
  ROOT,
  attribute,
  collectorBinary,
  freePort,
  postLogs,
  readFileExport,
  startCollector,
  startProcessor,
  stopAll,
  tempDir,
  waitUntil,
  type ArrivedRecord,
  type RunningProcessor,
} from './harness';
import { fullRecord, requestOf, yamlBlocks } from './chain';
import { normalLines } from '../lifecycle/records';

jest.setTimeout(300_000);

const SERVICES = Array.from({ length: 12 }, (_, i) => `svc-${i}`);

/** The documented `load_balancing` exporter, pointed at `hostnames`. */
function loadBalancingExporter(hostnames: string[]): Record<string, unknown> {
  const block = yamlBlocks(join(ROOT, 'docs', 'scaling.md')).find((b) => {
    const exporters = b.exporters as Record<string, unknown> | undefined;
    return exporters?.load_balancing !== undefined;
  });
  if (!block) throw new Error('docs/scaling.md has no load_balancing exporter block');
  const exporter = (block.exporters as Record<string, Record<string, unknown>>).load_balancing;
  return { ...exporter, resolver: { static: { hostnames } } };
}

function upstreamConfig(httpPort: number, hostnames: string[]) {
  return {
    receivers: { otlp: { protocols: { http: { endpoint: `127.0.0.1:${httpPort}` } } } },
    processors: { batch: { send_batch_size: 200, timeout: '100ms' } },
    exporters: { load_balancing: loadBalancingExporter(hostnames) },
    service: { pipelines: { logs: { receivers: ['otlp'], processors: ['batch'], exporters: ['load_balancing'] } } },
  };
}

/** One Collector, one OTLP receiver and one output file per replica. */
function downstreamConfig(ports: number[], paths: string[]) {
  const receivers: Record<string, unknown> = {};
  const exporters: Record<string, unknown> = {};
  const pipelines: Record<string, unknown> = {};
  ports.forEach((port, i) => {
    receivers[`otlp/${i}`] = { protocols: { grpc: { endpoint: `127.0.0.1:${port}` } } };
    exporters[`file/${i}`] = { path: paths[i], flush_interval: '100ms' };
    pipelines[`logs/${i}`] = { receivers: [`otlp/${i}`], exporters: [`file/${i}`] };
  });
  return { receivers, exporters, service: { pipelines } };
}

const serviceOf = (r: ArrivedRecord) =>
  String(attribute(r.resource.resource?.attributes, 'service.name')?.stringValue ?? '');
const shapeOf = (r: ArrivedRecord) => String(r.record.body?.stringValue).replace(/\d+/g, '#');

/** Sends `perService` records of every service, one request per service; returns how many were acknowledged. */
async function sendRound(ingest: string, round: number, perService: number): Promise<number> {
  let acked = 0;
  for (const [i, service] of SERVICES.entries()) {
    const first = (round * SERVICES.length + i) * perService;
    const lines = normalLines(perService, first + 1);
    const status = await postLogs(
      ingest,
      requestOf(
        service,
        lines.map((l, j) => fullRecord(first + j, l)),
      ),
    );
    if (status === 200) acked += perService;
  }
  return acked;
}

let pg: PgServer;
beforeAll(async () => {
  collectorBinary();
  pg = await startPgServer();
}, BUILD_TIMEOUT_MS);
afterAll(() => pg?.stop());
afterEach(stopAll);

test('routing_key: service sends each service to one replica; a killed replica’s services move and keep their template ids', async () => {
  const url = await pg.createDatabase('loadbalancing');
  const dir = tempDir('lb-out');
  const paths = [join(dir, 'replica-0.jsonl'), join(dir, 'replica-1.jsonl')];
  const downPorts = [await freePort(), await freePort()];
  await startCollector('downstream', downstreamConfig(downPorts, paths));
  const replicas: RunningProcessor[] = [];
  for (const i of [0, 1]) {
    replicas.push(
      await startProcessor({
        grpcPort: await freePort(),
        downstream: `127.0.0.1:${downPorts[i]}`,
        postgresUrl: url,
        // Template snapshots are written at most this often (checked per batch).
        extraArgs: ['--parser.snapshot.intervalS=1'],
      }),
    );
  }
  const httpPort = await freePort();
  const ingest = `127.0.0.1:${httpPort}`;
  const upstream = await startCollector(
    'upstream',
    upstreamConfig(
      httpPort,
      replicas.map((r) => r.grpc),
    ),
  );
  const byReplica = () => paths.map((p) => readFileExport(p));
  const total = () => byReplica().reduce((n, rs) => n + rs.length, 0);

  // Round 0 mines the templates; round 1, after the snapshot interval, makes each replica write them.
  let sent = await sendRound(ingest, 0, 100);
  await waitUntil(() => total() >= sent, 60_000, 'round 0 downstream');
  await new Promise((r) => setTimeout(r, 1_500));
  sent += await sendRound(ingest, 1, 20);
  await waitUntil(() => total() >= sent, 60_000, 'round 1 downstream');
  expect(total()).toBe(SERVICES.length * 120);

  const owners = new Map<string, Set<number>>();
  byReplica().forEach((records, i) => {
    for (const r of records) owners.set(serviceOf(r), (owners.get(serviceOf(r)) ?? new Set()).add(i));
  });
  expect([...owners.keys()].sort()).toEqual([...SERVICES].sort());
  for (const [service, set] of owners) expect([service, set.size]).toEqual([service, 1]);
  const movedServices = SERVICES.filter((s) => owners.get(s)!.has(0));
  expect(movedServices.length).toBeGreaterThan(0);
  expect(movedServices.length).toBeLessThan(SERVICES.length);

  // Template id of each (service, message shape) as replica 0 gave it.
  const idsBefore = new Map<string, string>();
  for (const r of byReplica()[0])
    idsBefore.set(
      `${serviceOf(r)} ${shapeOf(r)}`,
      String(attribute(r.record.attributes, ATTR.templateId)?.stringValue),
    );
  await new Promise((r) => setTimeout(r, 1_000));

  // Replica 0 dies; the resolver's list then holds replica 1 only (what the dns or k8s resolver sees
  // once the pod's address is gone), given to the running Collector by a config reload.
  await replicas[0].kill();
  await upstream.reload(upstreamConfig(httpPort, [replicas[1].grpc]));
  const seenBefore = byReplica()[1].length;
  const more = await sendRound(ingest, 2, 100);
  expect(more).toBe(SERVICES.length * 100);
  await waitUntil(() => byReplica()[1].length - seenBefore >= more, 90_000, 'round 2 at replica 1');

  const after = byReplica()[1].slice(seenBefore);
  expect(new Set(after.map(serviceOf))).toEqual(new Set(SERVICES));
  let compared = 0;
  for (const r of after) {
    const before = idsBefore.get(`${serviceOf(r)} ${shapeOf(r)}`);
    if (before === undefined) continue;
    expect([serviceOf(r), shapeOf(r), attribute(r.record.attributes, ATTR.templateId)?.stringValue]).toEqual([
      serviceOf(r),
      shapeOf(r),
      before,
    ]);
    compared++;
  }
  // Every moved service's records were compared, not only a few.
  const movedAfter = after.filter((r) => movedServices.includes(serviceOf(r)));
  expect(compared).toBeGreaterThanOrEqual(movedAfter.length * 0.9);
  expect(movedAfter.length).toBe(movedServices.length * 100);
});
