/**
 * Template ids survive kill -9 at any moment: the service (a child process, as `npm start` runs
 * it) is killed at a random point while requests creating templates are in flight, long before
 * its periodic snapshot; after a restart on the same store every line the downstream received
 * gets the template id it had.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { startChildService, type ChildService } from '../../../bench/lib/service';
import { annotatedRecords, logsData } from '../../../bench/lib/otlp-load';
import { Downstream, grpcExport } from '../processor/helpers';

jest.setTimeout(180_000);

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'];

/**
 * Lines of distinct templates (no constant token shared between families); a family's lines differ
 * in a word no mask hides, so which of them the miner saw first decides the id a fresh miner gives.
 */
function line(family: number, n: number): string {
  const w = word(family);
  return `session ${w} opened for user ${USERS[n % USERS.length]} by ${w}root`;
}

/** A family's own word, letters only (so no mask takes it for a number or hex id). */
function word(n: number): string {
  let w = '';
  do {
    w += String.fromCharCode(107 + (n % 16));
    n = Math.floor(n / 16);
  } while (n > 0);
  return `k${w}`;
}

async function sendFamilies(svc: ChildService, first: number, count: number, perRequest: number): Promise<void> {
  const inFlight: Promise<unknown>[] = [];
  for (let f = first; f < first + count; f += perRequest) {
    const groups = [0, 1].map((s) => ({
      service: `svc-${s}`,
      lines: Array.from({ length: perRequest * 2 }, (_, k) => line(f + (k % perRequest), f + k)),
    }));
    inFlight.push(grpcExport(svc.grpc, encodeLogsRequest(logsData(groups))));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

describe('template ids after kill -9', () => {
  let dir: string;
  const downstream = new Downstream();
  let endpoint: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'anomalog-ids-'));
    endpoint = await downstream.start();
  });
  afterAll(async () => {
    await downstream.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const args = () => [
    `--store.dataDir=${dir}`,
    `--exporter.endpoint=${endpoint}`,
    '--detection.enabled=false',
    '--api.enabled=false',
    '--parser.snapshot.intervalS=3600',
  ];

  it('are the same after a restart, wherever the kill lands', async () => {
    const idOf = new Map<string, string>();
    const collect = () => {
      for (const req of downstream.requests.splice(0))
        for (const r of annotatedRecords(req)) {
          const key = `${r.service}\u0000${r.body}`;
          if (!idOf.has(key) && r.templateId) idOf.set(key, r.templateId);
        }
    };
    let family = 0;
    for (let round = 0; round < 3; round++) {
      const svc = await startChildService({ args: args() });
      const sending = sendFamilies(svc, family, 400, 4);
      family += 400;
      // A kill at a random point of the stream (the sends' own failures are expected).
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 900));
      svc.kill('SIGKILL');
      await svc.exited;
      await sending.catch(() => {});
      collect();
    }
    expect(idOf.size).toBeGreaterThan(0);

    // Every line the downstream got, sent again (newest first) to a restarted service: the same
    // template ids.
    const svc = await startChildService({ args: args() });
    try {
      const lines = [...idOf.keys()].reverse().map((k) => k.split('\u0000') as [string, string]);
      for (let i = 0; i < lines.length; i += 200) {
        const chunk = lines.slice(i, i + 200);
        const groups = ['svc-0', 'svc-1'].map((service) => ({
          service,
          lines: chunk.filter(([s]) => s === service).map(([, body]) => body),
        }));
        const answer = await grpcExport(svc.grpc, encodeLogsRequest(logsData(groups)));
        expect(answer.code).toBe(0);
      }
      const after = new Map<string, string>();
      for (const req of downstream.requests.splice(0))
        for (const r of annotatedRecords(req)) after.set(`${r.service}\u0000${r.body}`, r.templateId ?? '');
      const changed = [...idOf].filter(([k, id]) => after.get(k) !== id);
      expect(changed).toEqual([]);
    } finally {
      svc.kill('SIGTERM');
      await svc.exited;
    }
  });
});
