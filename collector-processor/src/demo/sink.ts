import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ATTR } from '@anomalog/shared';
import { decodeLogsRequest } from '../otlp/logs-decode';
import { encodeExportResponse } from '../otlp/service';
import { type AnyValue, type KeyValue } from '../otlp/types';

/** One annotated record as it came back from the processor. */
export interface SeenRecord {
  service: string;
  body: string;
  attributes: Record<string, string | number | boolean>;
}

function plain(v: AnyValue | undefined): string | number | boolean {
  if (!v) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  return JSON.stringify(v);
}

const toMap = (kvs: KeyValue[]) => Object.fromEntries(kvs.map((kv) => [kv.key, plain(kv.value)]));

/**
 * A local OTLP/HTTP receiver the demo configures as the processor's downstream: it sees every record
 * the processor forwards, with the attributes the processor added.
 */
export class DemoSink {
  readonly records: SeenRecord[] = [];
  private server?: Server;
  onRecord: (r: SeenRecord) => void = () => {};

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.collect(Buffer.concat(chunks));
          res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(encodeExportResponse({}));
        } catch (err) {
          res.writeHead(400).end(String(err));
        }
      });
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private collect(buf: Buffer): void {
    for (const rl of decodeLogsRequest(buf).data.resourceLogs) {
      const service = String(toMap(rl.resource?.attributes ?? [])['service.name'] ?? 'unknown');
      for (const sl of rl.scopeLogs) {
        for (const lr of sl.logRecords) {
          const r = { service, body: String(plain(lr.body)), attributes: toMap(lr.attributes) };
          this.records.push(r);
          this.onRecord(r);
        }
      }
    }
  }

  /** True once any record carries a score or the learning marker: detection is wired in. */
  detectionActive(): boolean {
    return this.records.some((r) => ATTR.score in r.attributes || ATTR.unscored in r.attributes);
  }

  async close(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}

export function isAnomaly(r: SeenRecord): boolean {
  return r.attributes[ATTR.isAnomaly] === true || r.attributes[ATTR.isAnomaly] === 'true';
}
