/**
 * One gRPC connection's concurrent requests are bounded by HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS:
 * the sender holds the rest until one is answered, so they are delayed, not refused.
 */
import { connect, type ClientHttp2Session } from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { LOGS_EXPORT_PATH } from '../../src/otlp/service';
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

/** One unary gRPC call on a raw HTTP/2 session (so the test sees that session's settings); its grpc-status. */
function unary(session: ClientHttp2Session, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = session.request({
      ':method': 'POST',
      ':path': LOGS_EXPORT_PATH,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let status = NaN;
    req.on('response', (h) => h['grpc-status'] !== undefined && (status = Number(h['grpc-status'])));
    req.on('trailers', (t) => (status = Number(t['grpc-status'])));
    req.on('data', () => undefined);
    req.on('end', () => resolve(status));
    req.on('error', reject);
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(body.length, 1);
    req.end(Buffer.concat([prefix, body]));
  });
}

/** Resolves when the server announces `streams` (at once if it already has). */
function announced(session: ClientHttp2Session, streams: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (session.remoteSettings.maxConcurrentStreams !== streams) return;
      session.off('remoteSettings', check);
      resolve();
    };
    session.on('remoteSettings', check);
    check();
  });
}

it('offers receiver.grpc.maxConcurrentSmallStreams after 16 small requests in a row, and takes it back at the first large one', async () => {
  const downstream = new Downstream();
  const proc = await start({
    exporter: { endpoint: await downstream.start() },
    receiver: { grpc: { endpoint: '127.0.0.1:0', maxConcurrentStreams: 3, maxConcurrentSmallStreams: 12 } },
  });
  const session = connect(`http://${proc.grpcAddress}`);
  try {
    await new Promise((resolve) => session.once('remoteSettings', resolve));
    expect(session.remoteSettings.maxConcurrentStreams).toBe(3);
    const small = Buffer.from(encodeLogsRequest(sampleLogsData()));
    for (let i = 0; i < 15; i++) expect(await unary(session, small)).toBe(grpc.status.OK);
    expect(session.remoteSettings.maxConcurrentStreams).toBe(3);
    const raised = announced(session, 12);
    expect(await unary(session, small)).toBe(grpc.status.OK);
    await raised;

    // Up to 256 KiB a request is decoded in one go: still small (a Collector's batch of 512 lines is ~100 KiB).
    const data = sampleLogsData();
    const records = data.resourceLogs[0].scopeLogs[0].logRecords;
    while (encodeLogsRequest(data).length <= 128 * 1024) records.push(...records);
    expect(encodeLogsRequest(data).length).toBeLessThanOrEqual(256 * 1024);
    expect(await unary(session, Buffer.from(encodeLogsRequest(data)))).toBe(grpc.status.OK);
    expect(session.remoteSettings.maxConcurrentStreams).toBe(12);

    while (encodeLogsRequest(data).length <= 256 * 1024) records.push(...records);
    const lowered = announced(session, 3);
    expect(await unary(session, Buffer.from(encodeLogsRequest(data)))).toBe(grpc.status.OK);
    await lowered;
    expect(downstream.requests).toHaveLength(18);
  } finally {
    session.close();
    await proc.close();
    await downstream.stop();
  }
});
