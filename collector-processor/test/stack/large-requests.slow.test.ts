/**
 * Concurrent large requests inside the wire limits: the service (a child process with `npm start`'s
 * heap cap) answers each with success or a retryable refusal, never crashes, and the downstream
 * gets exactly the records of the requests answered with success.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { startChildService } from '../../../bench/lib/service';
import { logsData, recordCount } from '../../../bench/lib/otlp-load';
import { Downstream, grpcExport } from '../processor/helpers';

jest.setTimeout(240_000);

it('32 concurrent gRPC requests of 40,000 records: success or UNAVAILABLE, no crash, nothing lost', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-large-'));
  // Annotated, a request of small records is more than twice its size: room above grpc-js's 4 MiB.
  const downstream = new Downstream({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  const endpoint = await downstream.start();
  const svc = await startChildService({ args: [`--store.dataDir=${dir}`, `--exporter.endpoint=${endpoint}`] });
  try {
    const lines = Array.from({ length: 40_000 }, (_, i) => `GET /api/items/${i} 200 in ${i % 97} ms host-${i % 13}`);
    const body = encodeLogsRequest(logsData([{ service: 'web', lines }]));
    expect(body.length).toBeGreaterThan(2_500_000);
    const answers = await Promise.all(Array.from({ length: 32 }, () => grpcExport(svc.grpc, body)));
    const codes = answers.map((a) => a.code);
    expect(codes.every((c) => c === grpc.status.OK || c === grpc.status.UNAVAILABLE)).toBe(true);
    expect(codes).toContain(grpc.status.OK);
    expect(svc.child.exitCode).toBeNull();
    const ok = codes.filter((c) => c === grpc.status.OK).length;
    const delivered = downstream.requests.reduce((n, r) => n + recordCount(r), 0);
    expect(delivered).toBe(ok * 40_000);
  } finally {
    svc.kill('SIGTERM');
    await svc.exited;
    await downstream.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
