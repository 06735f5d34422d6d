/**
 * The deployment docs/collector.md describes, on loopback: an upstream Collector (OTLP in) whose
 * `otlp` exporter sends to the processor, which sends the annotated logs to a downstream Collector
 * whose `file` exporter writes what arrives. Records carry a `test.seq` attribute so a test can
 * count each one downstream.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  ROOT,
  freePort,
  postLogs,
  readFileExport,
  startCollector,
  startProcessor,
  tempDir,
  type ArrivedRecord,
  type JsonLogsRequest,
  type JsonLogRecord,
  type ProcessorOptions,
  type RunningCollector,
  type RunningProcessor,
} from './harness';
import { normalLines } from '../lifecycle/records';

/** Every ```yaml block of a Markdown file, parsed. */
export function yamlBlocks(markdownPath: string): Record<string, unknown>[] {
  const text = readFileSync(markdownPath, 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap((m) =>
    parseAllDocuments(m[1]).map((d) => d.toJSON() as Record<string, unknown>),
  );
}

/** The `otlp/anomalog` exporter exactly as docs/collector.md tells users to configure it. */
export function documentedExporter(): Record<string, unknown> {
  for (const block of yamlBlocks(join(ROOT, 'docs', 'collector.md'))) {
    const exporters = block.exporters as Record<string, Record<string, unknown>> | undefined;
    if (exporters?.['otlp/anomalog']) return exporters['otlp/anomalog'];
  }
  throw new Error('docs/collector.md has no otlp/anomalog exporter block');
}

/** Upstream Collector: OTLP/HTTP in, small batches (many requests), the documented exporter to `target`. */
export function upstreamConfig(httpPort: number, target: string, receivers: Record<string, unknown> = {}) {
  const exporter = { ...documentedExporter(), endpoint: target };
  return {
    receivers: { otlp: { protocols: { http: { endpoint: `127.0.0.1:${httpPort}` } } }, ...receivers },
    processors: { batch: { send_batch_size: 100, send_batch_max_size: 100, timeout: '100ms' } },
    exporters: { 'otlp/anomalog': exporter },
    service: {
      pipelines: {
        logs: { receivers: ['otlp', ...Object.keys(receivers)], processors: ['batch'], exporters: ['otlp/anomalog'] },
      },
    },
  };
}

/** Downstream Collector: OTLP/gRPC in, every request written as a JSON line to `path`. */
export function downstreamConfig(grpcPort: number, path: string) {
  return {
    receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${grpcPort}` } } } },
    exporters: { file: { path, flush_interval: '100ms' } },
    service: { pipelines: { logs: { receivers: ['otlp'], exporters: ['file'] } } },
  };
}

export interface Chain {
  upstream: RunningCollector;
  processor: RunningProcessor;
  downstream: RunningCollector;
  /** host:port of the upstream's OTLP/HTTP receiver. */
  ingest: string;
  processorPort: number;
  downstreamPort: number;
  /** The downstream's output file; a restarted downstream writes a new one. */
  outputPaths: string[];
  processorOptions: ProcessorOptions;
  arrived(): ArrivedRecord[];
  startDownstream(): Promise<RunningCollector>;
  startProcessor(): Promise<RunningProcessor>;
}

/** Starts downstream, processor and upstream (in the order data flows backwards). */
export async function startChain(upstreamReceivers: Record<string, unknown> = {}): Promise<Chain> {
  const [httpPort, processorPort, downstreamPort] = [await freePort(), await freePort(), await freePort()];
  const outputDir = tempDir('file-exporter');
  const processorOptions: ProcessorOptions = {
    grpcPort: processorPort,
    downstream: `127.0.0.1:${downstreamPort}`,
    dataDir: tempDir('store'),
  };
  const chain: Chain = {
    ingest: `127.0.0.1:${httpPort}`,
    processorPort,
    downstreamPort,
    outputPaths: [],
    processorOptions,
    arrived: () => chain.outputPaths.flatMap(readFileExport),
    startDownstream: async () => {
      const path = join(outputDir, `logs-${chain.outputPaths.length}.jsonl`);
      chain.outputPaths.push(path);
      return (chain.downstream = await startCollector('downstream', downstreamConfig(downstreamPort, path)));
    },
    startProcessor: async () => (chain.processor = await startProcessor(processorOptions)),
  } as unknown as Chain;
  await chain.startDownstream();
  await chain.startProcessor();
  chain.upstream = await startCollector(
    'upstream',
    upstreamConfig(httpPort, `127.0.0.1:${processorPort}`, upstreamReceivers),
  );
  return chain;
}

export const SEQ = 'test.seq';

const hex = (n: number, bytes: number) =>
  n
    .toString(16)
    .padStart(bytes * 2, '0')
    .slice(-bytes * 2);

/**
 * One OTLP/JSON record with every field set to a value other than its default, so a field
 * dropped or altered on the way shows up in a comparison.
 */
export function fullRecord(seq: number, message: string): JsonLogRecord {
  const t = 1_700_000_000_000_000_000n + BigInt(seq) * 1_000_000n;
  return {
    timeUnixNano: t.toString(),
    observedTimeUnixNano: (t + 5_000n).toString(),
    severityNumber: 9 + (seq % 4),
    severityText: ['INFO', 'INFO2', 'INFO3', 'INFO4'][seq % 4],
    body: { stringValue: message },
    attributes: [
      { key: SEQ, value: { intValue: String(seq) } },
      { key: 'http.route', value: { stringValue: '/api/items/{id}' } },
      { key: 'retry', value: { boolValue: seq % 2 === 0 } },
      { key: 'ratio', value: { doubleValue: 0.5 + seq } },
      { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '7' }] } } },
      { key: 'ctx', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } } },
      { key: 'raw', value: { bytesValue: Buffer.from([1, 2, seq & 0xff]).toString('base64') } },
    ],
    droppedAttributesCount: 3,
    flags: 1,
    traceId: hex(seq + 1, 16),
    spanId: hex(seq + 1, 8),
    eventName: 'app.request',
  };
}

/** An ExportLogsServiceRequest of one service with records `seqs`. */
export function requestOf(service: string, records: JsonLogRecord[]): JsonLogsRequest {
  return {
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: service } },
            { key: 'host.name', value: { stringValue: 'test-host' } },
          ],
          droppedAttributesCount: 1,
        },
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
        scopeLogs: [
          {
            scope: {
              name: 'anomalog.test',
              version: '1.2.3',
              attributes: [{ key: 'scope.kind', value: { stringValue: 'test' } }],
              droppedAttributesCount: 2,
            },
            schemaUrl: 'https://opentelemetry.io/schemas/1.25.0',
            logRecords: records,
          },
        ],
      },
    ],
  };
}

export function seqOf(r: ArrivedRecord): number {
  const v = r.record.attributes?.find((kv) => kv.key === SEQ)?.value;
  return Number(v?.intValue);
}

/** How often each sequence number arrived. */
export function arrivals(records: ArrivedRecord[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of records) counts.set(seqOf(r), (counts.get(seqOf(r)) ?? 0) + 1);
  return counts;
}

/**
 * Sends `total` records in requests of `perRequest` to the upstream Collector. Returns the sequence
 * numbers the Collector acknowledged (HTTP 200): those it has taken responsibility for.
 */
export async function sendRecords(
  ingest: string,
  total: number,
  options: { perRequest?: number; service?: string; paceMs?: number; firstSeq?: number } = {},
): Promise<number[]> {
  const per = options.perRequest ?? 50;
  const first = options.firstSeq ?? 0;
  const lines = normalLines(total, first + 1);
  const acked: number[] = [];
  for (let i = 0; i < total; i += per) {
    const seqs = Array.from({ length: Math.min(per, total - i) }, (_, j) => first + i + j);
    const body = requestOf(
      options.service ?? 'checkout',
      seqs.map((s) => fullRecord(s, lines[s - first])),
    );
    const status = await postLogs(ingest, body);
    if (status === 200) acked.push(...seqs);
    if (options.paceMs) await new Promise((r) => setTimeout(r, options.paceMs));
  }
  return acked;
}
