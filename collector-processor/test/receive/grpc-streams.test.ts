/**
 * One gRPC connection's concurrent requests are bounded by HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS:
 * the sender holds the rest until one is answered, so they are delayed, not refused.
 */
import { connect } from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { sampleLogsData } from '../processor/fixtures';
import { Downstream, grpcExport, start } from '../processor/helpers';

jest.setTimeout(30000);

it('announces receiver.grpc.maxConcurrentStreams; requests over it wait in the sender and pass', async () => {
  const downstream = new Downstream();
  const proc = await start({
    exporter: { endpoint: await downstream.start() },
    receiver: { grpc: { endpoint: '127.0.0.1:0', maxConcurrentStreams: 2 } },
  });
  try {
    const session = connect(`http://${proc.grpcAddress}`);
    const settings = await new Promise<{ maxConcurrentStreams?: number }>((resolve, reject) => {
      session.once('remoteSettings', resolve);
      session.once('error', reject);
    });
    session.close();
    expect(settings.maxConcurrentStreams).toBe(2);

    // grpc-js clients of one target share one connection: eight requests on two streams at a time.
    const body = encodeLogsRequest(sampleLogsData());
    const answers = await Promise.all(Array.from({ length: 8 }, () => grpcExport(proc.grpcAddress, body)));
    expect(answers.map((a) => a.code)).toEqual(Array(8).fill(grpc.status.OK));
    expect(downstream.requests).toHaveLength(8);
  } finally {
    await proc.close();
    await downstream.stop();
  }
});
