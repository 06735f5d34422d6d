import { decodeLogsRequest, logRecordOf, type LogRecord, type LogsData } from '../../collector-processor/src';

/** Plain OTLP log requests for load and fault scripts: services, each with its lines as string bodies. */
export interface ServiceLines {
  service: string;
  lines: readonly string[];
}

export function logsData(groups: readonly ServiceLines[], timeMs = Date.now()): LogsData {
  return {
    resourceLogs: groups.map((g) => ({
      resource: {
        attributes: [{ key: 'service.name', value: { stringValue: g.service } }],
        droppedAttributesCount: 0,
      },
      scopeLogs: [
        {
          scope: { name: 'chaos', version: '', attributes: [], droppedAttributesCount: 0 },
          schemaUrl: '',
          logRecords: g.lines.map((line, i): LogRecord => record(line, timeMs + i)),
        },
      ],
      schemaUrl: '',
    })),
  };
}

function record(line: string, timeMs: number): LogRecord {
  return logRecordOf({
    timeUnixNano: BigInt(timeMs) * 1_000_000n,
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: line },
  });
}

/** Each record of an annotated request: its service, body and `log.template.id`. */
export function annotatedRecords(buf: Uint8Array): { service: string; body: string; templateId?: string }[] {
  const out: { service: string; body: string; templateId?: string }[] = [];
  for (const rl of decodeLogsRequest(buf).data.resourceLogs) {
    const service = rl.resource?.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
    for (const sl of rl.scopeLogs)
      for (const r of sl.logRecords) {
        const templateId = r.attributes.find((a) => a.key === 'log.template.id')?.value.stringValue;
        out.push({ service, body: r.body?.stringValue ?? '', templateId });
      }
  }
  return out;
}

/** Records in a request. */
export function recordCount(buf: Uint8Array): number {
  return decodeLogsRequest(buf).recordCount;
}
