/**
 * The other messages of the OTLP logs service: ExportLogsServiceResponse (field 1: partial_success
 * {1: rejected_log_records int64, 2: error_message string}) and google.rpc.Status (1: code int32,
 * 2: message string, 3: details Any), in protobuf and JSON.
 */
import { ProtoReader, WIRE_LEN, WIRE_VARINT } from './proto-reader';
import { utf8Length, varintSize, int64Size } from './proto-writer';

export const LOGS_EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

export interface PartialSuccess {
  rejectedLogRecords: bigint;
  errorMessage: string;
}

export interface ExportResponse {
  partialSuccess?: PartialSuccess;
  /**
   * Of partialSuccess.rejectedLogRecords, those the processor itself dropped as too large to send
   * (export/sized-exporter.ts), for its metrics; never on the wire.
   */
  tooLargeRecords?: number;
}

export function encodeExportResponse(res: ExportResponse): Buffer {
  const ps = res.partialSuccess;
  if (!ps || (ps.rejectedLogRecords === 0n && ps.errorMessage === '')) return Buffer.alloc(0);
  const inner = Buffer.alloc(
    (ps.rejectedLogRecords ? 1 + int64Size(ps.rejectedLogRecords) : 0) +
      (ps.errorMessage ? 1 + varintSize(utf8Length(ps.errorMessage)) + utf8Length(ps.errorMessage) : 0),
  );
  let pos = 0;
  if (ps.rejectedLogRecords) {
    inner[pos++] = (1 << 3) | WIRE_VARINT;
    pos = putVarint64(inner, pos, ps.rejectedLogRecords);
  }
  if (ps.errorMessage) {
    inner[pos++] = (2 << 3) | WIRE_LEN;
    pos = putVarint64(inner, pos, BigInt(utf8Length(ps.errorMessage)));
    inner.write(ps.errorMessage, pos, 'utf8');
  }
  return Buffer.concat([Buffer.from([(1 << 3) | WIRE_LEN]), varintBuf(inner.length), inner]);
}

export function decodeExportResponse(buf: Uint8Array): ExportResponse {
  const r = new ProtoReader(buf);
  const out: ExportResponse = {};
  while (r.pos < r.end) {
    const t = r.uint32();
    if (t === ((1 << 3) | WIRE_LEN)) {
      const end = r.delimitedEnd();
      const inner = new ProtoReader(buf, r.pos, end);
      const ps: PartialSuccess = { rejectedLogRecords: 0n, errorMessage: '' };
      while (inner.pos < end) {
        const it = inner.uint32();
        if (it === ((1 << 3) | WIRE_VARINT)) ps.rejectedLogRecords = inner.int64();
        else if (it === ((2 << 3) | WIRE_LEN)) ps.errorMessage = inner.string();
        else inner.skip(it & 7);
      }
      r.pos = end;
      out.partialSuccess = ps;
    } else r.skip(t & 7);
  }
  return out;
}

export function exportResponseJson(res: ExportResponse): Record<string, unknown> {
  const ps = res.partialSuccess;
  if (!ps || (ps.rejectedLogRecords === 0n && ps.errorMessage === '')) return {};
  return { partialSuccess: { rejectedLogRecords: ps.rejectedLogRecords.toString(), errorMessage: ps.errorMessage } };
}

export function partialSuccessFromJson(x: unknown): ExportResponse {
  const ps = (x as { partialSuccess?: { rejectedLogRecords?: unknown; errorMessage?: unknown } } | null)
    ?.partialSuccess;
  if (!ps) return {};
  const n = ps.rejectedLogRecords;
  return {
    partialSuccess: {
      rejectedLogRecords: typeof n === 'string' || typeof n === 'number' ? BigInt(n) : 0n,
      errorMessage: typeof ps.errorMessage === 'string' ? ps.errorMessage : '',
    },
  };
}

/** google.rpc.Status with code and message (no details). */
export function encodeStatus(code: number, message: string): Buffer {
  const len = utf8Length(message);
  const out = Buffer.alloc(1 + varintSize(code) + (len ? 1 + varintSize(len) + len : 0));
  let pos = 0;
  out[pos++] = (1 << 3) | WIRE_VARINT;
  pos = putVarint64(out, pos, BigInt(code));
  if (len) {
    out[pos++] = (2 << 3) | WIRE_LEN;
    pos = putVarint64(out, pos, BigInt(len));
    out.write(message, pos, 'utf8');
  }
  return out;
}

export function decodeStatus(buf: Uint8Array): { code: number; message: string } {
  const r = new ProtoReader(buf);
  let code = 0;
  let message = '';
  while (r.pos < r.end) {
    const t = r.uint32();
    if (t === ((1 << 3) | WIRE_VARINT)) code = r.uint32();
    else if (t === ((2 << 3) | WIRE_LEN)) message = r.string();
    else r.skip(t & 7);
  }
  return { code, message };
}

function putVarint64(buf: Buffer, pos: number, v: bigint): number {
  let u = BigInt.asUintN(64, v);
  while (u > 0x7fn) {
    buf[pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[pos++] = Number(u);
  return pos;
}

function varintBuf(n: number): Buffer {
  const b = Buffer.alloc(varintSize(n));
  putVarint64(b, 0, BigInt(n));
  return b;
}
