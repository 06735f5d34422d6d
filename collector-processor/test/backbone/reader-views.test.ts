import { decodeLogsRequest, encodeLogsRequest } from '../../src/otlp/logs-proto';
import { ProtoReader } from '../../src/otlp/proto-reader';
import { normalise, sampleLogsData } from './fixtures';

describe('protobuf reader over a Buffer', () => {
  it('reads through a plain Uint8Array view of the same bytes (no copy)', () => {
    const bytes = encodeLogsRequest(sampleLogsData());
    expect(Buffer.isBuffer(bytes)).toBe(true);
    const r = new ProtoReader(bytes);
    expect(Buffer.isBuffer(r.buf)).toBe(false);
    expect(r.buf.buffer).toBe(bytes.buffer);
    expect(r.buf.byteOffset).toBe(bytes.byteOffset);
    expect(r.buf.length).toBe(bytes.length);
  });

  it('decodes a Buffer and a Uint8Array of the same bytes alike, byte fields as views onto the request', () => {
    const bytes = encodeLogsRequest(sampleLogsData());
    const fromBuffer = decodeLogsRequest(bytes, { keepWire: true });
    const plain = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    expect(normalise(fromBuffer.data)).toEqual(normalise(decodeLogsRequest(plain, { keepWire: true }).data));
    const records = fromBuffer.data.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords));
    for (const r of records) {
      expect(r.wire!.buffer).toBe(bytes.buffer);
      if (r.traceId.length) expect(r.traceId.buffer).toBe(bytes.buffer);
    }
    expect(Buffer.compare(encodeLogsRequest(fromBuffer.data), bytes)).toBe(0);
  });
});
