/**
 * Senders that take their time or send too much: slow HTTP uploads must not hold the admission
 * slots gRPC shares, every phase of an HTTP request has a deadline, and an over-size body gets its
 * answer rather than a reset.
 */
import * as grpc from '@grpc/grpc-js';
import { connect, type Socket } from 'node:net';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { decodeStatus } from '../../src/otlp/service';
import { sampleLogsData } from '../processor/fixtures';
import { Downstream, grpcExport, httpGet, httpPost, start } from '../processor/helpers';

jest.setTimeout(60000);
const PROTO = { 'content-type': 'application/x-protobuf' };

function rawSocket(address: string, localAddress?: string): Promise<Socket> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.split(':').pop())];
  return new Promise((resolve, reject) => {
    const s = connect({ host, port, localAddress }, () => resolve(s));
    s.on('error', reject);
  });
}

function closed(s: Socket): Promise<void> {
  return new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
}

describe('slow HTTP clients', () => {
  it('64 slow uploads hold no slot gRPC needs, and are cut for their rate', async () => {
    const downstream = new Downstream();
    const proc = await start({ exporter: { endpoint: await downstream.start() } });
    const sockets: Socket[] = [];
    const drips: NodeJS.Timeout[] = [];
    try {
      // from four addresses other than the gRPC client's (127.0.0.1), 16 each: within the per-client share
      for (let i = 0; i < 64; i++) {
        const s = await rawSocket(proc.httpAddress, `127.0.0.${2 + (i % 4)}`);
        s.on('error', () => undefined);
        s.write(
          'POST /v1/logs HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-protobuf\r\ncontent-length: 1000\r\n\r\n',
        );
        drips.push(setInterval(() => s.writable && s.write('\n'), 1000));
        sockets.push(s);
      }
      const body = encodeLogsRequest(sampleLogsData());
      const started = Date.now();
      // while they drip, gRPC ingest keeps being served
      while (Date.now() - started < 3000) {
        const a = await grpcExport(proc.grpcAddress, body);
        expect(a).toMatchObject({ code: grpc.status.OK });
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(sockets.filter((s) => !s.destroyed).length).toBeGreaterThan(0);
      // below receiver.http.minBodyBytesPerS after its grace: every slow connection is closed
      await Promise.all(sockets.map(closed));
      expect(Date.now() - started).toBeLessThan(20000);
      const metrics = (await httpGet(proc.telemetryAddress, '/metrics')).body.toString();
      expect(metrics).toMatch(/anomalog_requests_rejected_total\{protocol="http",reason="too-slow"\} \d+/);
      expect(metrics).toMatch(/anomalog_requests_rejected_total\{protocol="http",reason="receiving-limit"\} \d+/);
    } finally {
      drips.forEach(clearInterval);
      sockets.forEach((s) => s.destroy());
      await proc.close();
      await downstream.stop();
    }
  });

  it('a client that never finishes its headers is cut after receiver.http.headersTimeoutS', async () => {
    const proc = await start({ receiver: { http: { headersTimeoutS: 1 } } });
    try {
      const s = await rawSocket(proc.httpAddress);
      s.on('error', () => undefined);
      s.on('data', () => undefined);
      s.write('POST /v1/logs HTTP/1.1\r\nhost: x\r\n');
      const t = Date.now();
      await closed(s);
      expect(Date.now() - t).toBeLessThan(8000);
    } finally {
      await proc.close();
    }
  });

  it('one client address holds at most receiver.maxRequestsPerClient slots', async () => {
    const downstream = new Downstream();
    downstream.behaviour = { delayMs: 800 };
    const proc = await start({
      exporter: { endpoint: await downstream.start() },
      receiver: { maxRequestsPerClient: 3 },
    });
    try {
      const body = encodeLogsRequest(sampleLogsData());
      const answers = await Promise.all(Array.from({ length: 6 }, () => grpcExport(proc.grpcAddress, body)));
      expect(answers.filter((a) => a.code === grpc.status.OK)).toHaveLength(3);
      const refused = answers.filter((a) => a.code === grpc.status.UNAVAILABLE);
      expect(refused).toHaveLength(3);
      expect(refused[0].details).toMatch(/from 127\.0\.0\.1 \(limit 3 per client\)/);
    } finally {
      await proc.close();
      await downstream.stop();
    }
  });
});

describe('over-size HTTP bodies', () => {
  /** Writes a 5 MiB body as fast as the socket takes it; the answer's status line, or the socket error. */
  function sendHuge(address: string, chunked: boolean): Promise<string> {
    const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.split(':').pop())];
    return new Promise((resolve) => {
      const s = connect({ host, port });
      let got = '';
      s.on('data', (d: Buffer) => (got += d.toString('latin1')));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(`socket error ${e.code} after "${got.slice(0, 12)}"`));
      s.on('close', () => resolve(got.split('\r\n')[0]));
      const length = chunked ? 'transfer-encoding: chunked' : `content-length: ${5 * 1024 * 1024}`;
      s.write(`POST /v1/logs HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-protobuf\r\n${length}\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 0x0a);
      const framed = chunked ? Buffer.concat([Buffer.from('10000\r\n'), chunk, Buffer.from('\r\n')]) : chunk;
      let sent = 0;
      const pump = (): void => {
        while (sent < 5 * 1024 * 1024 && !s.destroyed) {
          sent += chunk.length;
          if (!s.write(framed)) {
            s.once('drain', pump);
            return;
          }
        }
        if (chunked && !s.destroyed) s.write('0\r\n\r\n');
      };
      pump();
    });
  }

  it('a 5 MiB body over the 4 MiB limit gets its 400 every time, never a broken pipe', async () => {
    const proc = await start();
    try {
      // declared (content-length) and streamed (chunked) both; the writer never sees EPIPE/ECONNRESET
      for (let i = 0; i < 20; i++)
        expect(await sendHuge(proc.httpAddress, i % 2 === 0)).toBe('HTTP/1.1 400 Bad Request');
      const r = await httpPost(proc.httpAddress, '/v1/logs', Buffer.alloc(5 * 1024 * 1024, 0x0a), PROTO);
      expect(r.status).toBe(400);
      expect(r.headers.connection).toBe('close');
      expect(decodeStatus(r.body).message).toMatch(/exceeds the limit of 4194304 bytes/);
      // and the receiver still serves
      const ok = await httpPost(proc.httpAddress, '/v1/logs', encodeLogsRequest(sampleLogsData()), PROTO);
      expect(ok.status).toBe(200);
    } finally {
      await proc.close();
    }
  });
});
