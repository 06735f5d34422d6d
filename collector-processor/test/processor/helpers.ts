import * as grpc from '@grpc/grpc-js';
import { request } from 'node:http';
import pino from 'pino';
import { validateConfig, type AnomalogConfig } from '@anomalog/shared';
import { decodeLogsRequest } from '../../src/otlp/logs-decode';
import { LOGS_EXPORT_PATH, encodeExportResponse, encodeStatus } from '../../src/otlp/service';
import type { InstrumentationScope, LogRecord, LogsData, Resource } from '../../src/otlp/types';
import { startProcessor, type RunningProcessor } from '../../src/processor';
import { createAttributesStage } from '../../src/chain/attributes-stage';
import type { AnnotationStage } from '../../src/chain/stage';
import { normalise } from './fixtures';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export const silentLogger = pino({ level: 'silent' });

/** Processor config on ephemeral loopback ports, merged with overrides. */
export function testConfig(overrides: DeepPartial<AnomalogConfig> = {}): AnomalogConfig {
  const base = {
    receiver: { grpc: { endpoint: '127.0.0.1:0' }, http: { endpoint: '127.0.0.1:0' } },
    telemetry: { endpoint: '127.0.0.1:0', shutdownTimeoutMs: 2000 },
  };
  const merged = merge(base, overrides as Record<string, unknown>);
  const v = validateConfig(merged);
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.value;
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && a[k] && typeof a[k] === 'object'
        ? merge(a[k] as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

export function start(
  overrides: DeepPartial<AnomalogConfig> = {},
  stages?: AnnotationStage[],
): Promise<RunningProcessor> {
  // a chain of these stages ends with the attributes stage, as createAnnotationChain's does
  const chain = stages?.length ? [...stages, createAttributesStage()] : stages;
  return startProcessor(testConfig(overrides), { logger: silentLogger, stages: chain });
}

export type DownstreamBehaviour = 'ok' | 'unavailable' | 'invalid' | 'partial' | { delayMs: number };

/** A downstream OTLP/gRPC receiver for tests: records what arrives, can fail or stall on demand. */
export class Downstream {
  readonly requests: Buffer[] = [];
  readonly metadata: grpc.Metadata[] = [];
  behaviour: DownstreamBehaviour = 'ok';
  private server?: grpc.Server;
  port = 0;

  /** `options`: grpc-js server options, e.g. a receive limit above its 4 MiB default. */
  constructor(private readonly options: grpc.ServerOptions = {}) {}

  async start(port = 0, credentials = grpc.ServerCredentials.createInsecure()): Promise<string> {
    const server = new grpc.Server(this.options);
    const id = (b: Buffer) => b;
    server.addService(
      {
        Export: {
          path: LOGS_EXPORT_PATH,
          requestStream: false,
          responseStream: false,
          requestSerialize: id,
          requestDeserialize: id,
          responseSerialize: id,
          responseDeserialize: id,
        },
      },
      {
        Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
          const b = this.behaviour;
          if (b === 'unavailable') return cb({ code: grpc.status.UNAVAILABLE, details: 'test downstream unavailable' });
          if (b === 'invalid')
            return cb({ code: grpc.status.INVALID_ARGUMENT, details: 'test downstream says invalid' });
          const accept = () => {
            this.requests.push(call.request);
            this.metadata.push(call.metadata);
            cb(
              null,
              b === 'partial'
                ? encodeExportResponse({
                    partialSuccess: { rejectedLogRecords: 2n, errorMessage: 'two records too old' },
                  })
                : Buffer.alloc(0),
            );
          };
          if (typeof b === 'object') setTimeout(accept, b.delayMs);
          else accept();
        },
      },
    );
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, credentials, (err, p) => (err ? reject(err) : resolve(p))),
    );
    this.server = server;
    return `127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return Promise.resolve();
    s.forceShutdown();
    return Promise.resolve();
  }

  /** Every record received so far, in arrival order, with its resource and scope. */
  records(): { record: LogRecord; resource?: Resource; scope?: InstrumentationScope }[] {
    const out: { record: LogRecord; resource?: Resource; scope?: InstrumentationScope }[] = [];
    for (const buf of this.requests) {
      for (const rl of decodeLogsRequest(buf).data.resourceLogs) {
        for (const sl of rl.scopeLogs) {
          for (const record of sl.logRecords) out.push({ record, resource: rl.resource, scope: sl.scope });
        }
      }
    }
    return out;
  }

  data(): LogsData[] {
    return this.requests.map((b) => decodeLogsRequest(b).data);
  }
}

export interface GrpcAnswer {
  code: number;
  details: string;
  response?: Buffer;
}

/** One raw OTLP/gRPC Export call. */
export function grpcExport(address: string, body: Buffer, options: grpc.ChannelOptions = {}): Promise<GrpcAnswer> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), options);
  const id = (b: Buffer) => b;
  return new Promise((resolve) => {
    client.makeUnaryRequest<Buffer, Buffer>(LOGS_EXPORT_PATH, id, id, body, new grpc.Metadata(), {}, (err, res) => {
      client.close();
      if (err) resolve({ code: err.code, details: err.details });
      else resolve({ code: grpc.status.OK, details: '', response: res });
    });
  });
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function httpPost(
  address: string,
  path: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`http://${address}${path}`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function httpGet(address: string, path: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    request(`http://${address}${path}`, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

/** Poll until `check` holds or the deadline passes (bounded: tests never spin forever). */
export async function waitFor(check: () => boolean, timeoutMs = 10000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export { encodeStatus };

export function normaliseData(d: LogsData[]): LogsData[] {
  return d.map(normalise);
}
