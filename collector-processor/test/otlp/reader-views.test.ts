import { decodeLogsRequest } from '../../src/otlp/logs-decode';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { decodeUtf8, ProtoReader } from '../../src/otlp/proto-reader';
import { normalise, sampleLogsData } from '../processor/fixtures';

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

describe('short string decoding', () => {
  const enc = new TextEncoder();

  it('gives every short string exactly, across slot collisions and repeats', () => {
    // 5,000 distinct strings through 1,024 slots: most slots are shared by several strings
    const words = Array.from({ length: 5000 }, (_, i) => `k${i.toString(36)}.${'x'.repeat(i % 20)}`.slice(0, 24));
    for (let round = 0; round < 3; round++)
      for (const w of words) {
        const bytes = enc.encode(`..${w}..`);
        expect(decodeUtf8(bytes, 2, bytes.length - 2)).toBe(w);
      }
  });

  it('hands back the held string for a repeat', () => {
    const a = enc.encode('log.file.name');
    const b = Buffer.from('xxlog.file.name');
    expect(decodeUtf8(b, 2, b.length)).toBe(decodeUtf8(a, 0, a.length));
  });

  it('still validates and decodes multi-byte text', () => {
    const s = 'größe ✓ 😀';
    const bytes = enc.encode(s);
    expect(decodeUtf8(bytes, 0, bytes.length)).toBe(s);
    expect(() => decodeUtf8(Uint8Array.from([0x61, 0xff, 0x62]), 0, 3)).toThrow(/invalid UTF-8/);
    expect(decodeUtf8(Uint8Array.from([0x61, 0x62]), 1, 1)).toBe('');
  });
});
