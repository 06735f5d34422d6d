/** Downstream connection options: headers, OTLP/HTTP as the forwarding protocol, TLS. */
import * as grpc from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { sampleLogsData, normalise } from '../processor/fixtures';
import { Downstream, grpcExport, normaliseData, start } from '../processor/helpers';

jest.setTimeout(30000);
const body = encodeLogsRequest(sampleLogsData());

it('sends the configured headers as gRPC metadata (e.g. an API key)', async () => {
  const downstream = new Downstream();
  const proc = await start({ exporter: { endpoint: await downstream.start(), headers: { 'X-Api-Key': 's3cret' } } });
  try {
    expect((await grpcExport(proc.grpcAddress, body)).code).toBe(0);
    expect(downstream.metadata[0].get('x-api-key')).toEqual(['s3cret']);
  } finally {
    await proc.close();
    await downstream.stop();
  }
});

it.each(['none', 'gzip'] as const)(
  'forwards over OTLP/HTTP protobuf (compression %s) with headers: processor A → processor B (HTTP in) → downstream',
  async (compression) => {
    const downstream = new Downstream();
    const b = await start({ exporter: { endpoint: await downstream.start() } });
    const a = await start({
      exporter: {
        endpoint: `http://${b.httpAddress}`,
        protocol: 'http/protobuf',
        compression,
        headers: { authorization: 'Bearer t' },
      },
    });
    try {
      expect((await grpcExport(a.grpcAddress, body)).code).toBe(0);
      expect(normaliseData(downstream.data())).toEqual([normalise(sampleLogsData())]);
      // B refusing (its downstream down) reaches A's caller as retryable.
      downstream.behaviour = 'unavailable';
      expect((await grpcExport(a.grpcAddress, body)).code).toBe(grpc.status.UNAVAILABLE);
      downstream.behaviour = 'invalid';
      expect((await grpcExport(a.grpcAddress, body)).code).toBe(grpc.status.INVALID_ARGUMENT);
    } finally {
      await a.close();
      await b.close();
      await downstream.stop();
    }
  },
);

describe('TLS to the downstream (self-signed certificate made with openssl)', () => {
  let dir: string;
  let downstream: Downstream;
  let endpoint: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'anomalog-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    downstream = new Downstream();
    const creds = grpc.ServerCredentials.createSsl(null, [
      { cert_chain: readFileSync(join(dir, 'cert.pem')), private_key: readFileSync(join(dir, 'key.pem')) },
    ]);
    endpoint = await downstream.start(0, creds);
  });
  afterAll(async () => {
    await downstream.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the server with caFile', async () => {
    const proc = await start({ exporter: { endpoint, tls: { insecure: false, caFile: join(dir, 'cert.pem') } } });
    try {
      expect((await grpcExport(proc.grpcAddress, body)).code).toBe(0);
    } finally {
      await proc.close();
    }
  });

  it('insecureSkipVerify accepts an unknown certificate', async () => {
    const proc = await start({ exporter: { endpoint, tls: { insecure: false, insecureSkipVerify: true } } });
    try {
      expect((await grpcExport(proc.grpcAddress, body)).code).toBe(0);
    } finally {
      await proc.close();
    }
  });

  it('an untrusted certificate is a retryable failure (nothing is dropped)', async () => {
    const proc = await start({ exporter: { endpoint, tls: { insecure: false }, timeoutMs: 2000 } });
    try {
      expect((await grpcExport(proc.grpcAddress, body)).code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      await proc.close();
    }
  });

  it('a missing caFile fails at start, naming the key and file', async () => {
    await expect(
      start({ exporter: { endpoint, tls: { insecure: false, caFile: join(dir, 'nope.pem') } } }),
    ).rejects.toThrow(/exporter\.tls\.caFile: cannot read .*nope\.pem/);
  });
});
