/**
 * A request whose client stopped waiting (its deadline passed, or it closed the connection) before
 * the request was forwarded is not forwarded: the client counts it failed and sends it again, so
 * forwarding it as well would deliver it twice.
 */
import * as grpc from '@grpc/grpc-js';
import { request } from 'node:http';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { LOGS_EXPORT_PATH } from '../../src/otlp/service';
import type { AnnotationStage } from '../../src/chain/stage';
import { sampleLogsData } from './fixtures';
import { Downstream, start } from './helpers';

/** A stage slower than the clients below are willing to wait. */
const slowStage: AnnotationStage = { name: 'slow', process: () => new Promise((r) => setTimeout(r, 600)) };

it('a gRPC request past its deadline and an HTTP request whose connection closed are not forwarded', async () => {
  const downstream = new Downstream();
  const proc = await start({ exporter: { endpoint: await downstream.start() } }, [slowStage]);
  try {
    const body = encodeLogsRequest(sampleLogsData());
    const client = new grpc.Client(proc.grpcAddress, grpc.credentials.createInsecure());
    const code = await new Promise<number>((resolve) =>
      client.makeUnaryRequest<Buffer, Buffer>(
        LOGS_EXPORT_PATH,
        (b) => b,
        (b) => b,
        body,
        new grpc.Metadata(),
        { deadline: Date.now() + 150 },
        (err) => resolve(err?.code ?? 0),
      ),
    );
    client.close();
    expect(code).toBe(grpc.status.DEADLINE_EXCEEDED);

    await new Promise<void>((resolve) => {
      const req = request(`http://${proc.httpAddress}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
      });
      req.on('error', () => resolve());
      req.end(body);
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 150);
    });

    await new Promise((r) => setTimeout(r, 1500));
    expect(downstream.requests).toHaveLength(0);
  } finally {
    await proc.close();
    await downstream.stop();
  }
});
