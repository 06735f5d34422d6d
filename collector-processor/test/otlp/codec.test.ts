import { SimpleLogRecordProcessor, InMemoryLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import { ProtobufLogsSerializer, JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { decodeLogsRequest } from '../../src/otlp/logs-decode';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { decodeLogsRequestJson, encodeLogsJson } from '../../src/otlp/logs-json';
import { DecodeError } from '../../src/otlp/errors';
import type { LogsData } from '../../src/otlp/types';
import { normalise, sampleLogsData } from '../processor/fixtures';

describe('OTLP logs protobuf codec', () => {
  it('round-trips every field exactly', () => {
    const data = sampleLogsData();
    const decoded = decodeLogsRequest(encodeLogsRequest(data));
    expect(decoded.recordCount).toBe(5);
    expect(normalise(decoded.data)).toEqual(normalise(data));
  });

  it('is byte-stable: encode(decode(bytes)) == bytes for its own output', () => {
    const bytes = encodeLogsRequest(sampleLogsData());
    expect(Buffer.compare(encodeLogsRequest(decodeLogsRequest(bytes).data), bytes)).toBe(0);
  });

  it('reads what the official OTel JS serializer writes, and writes it back equivalently', async () => {
    const records = await emitWithSdk();
    const sdkBytes = ProtobufLogsSerializer.serializeRequest(records)!;
    const { data, recordCount } = decodeLogsRequest(sdkBytes);
    expect(recordCount).toBe(2);
    const rec = data.resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(rec.timeUnixNano).toBe(1_700_000_000_123_000_000n);
    expect(rec.observedTimeUnixNano).toBe(1_700_000_001_000_000_000n);
    expect(rec.severityNumber).toBe(SeverityNumber.WARN);
    expect(rec.severityText).toBe('WARN');
    expect(rec.eventName).toBe('evt');
    expect(rec.body?.kvlistValue?.values.map((kv) => kv.key)).toEqual(['s', 'i', 'd', 'b', 'arr', 'bytes']);
    expect(data.resourceLogs[0].scopeLogs[0].scope?.name).toBe('codec-test');
    // Same content through our encoder and the SDK's decoder-equivalent: compare via a second decode.
    const again = decodeLogsRequest(encodeLogsRequest(data));
    expect(normalise(again.data)).toEqual(normalise(data));
    // And the SDK's JSON form decodes to the same model.
    const json = decodeLogsRequestJson(JsonLogsSerializer.serializeRequest(records)!);
    expect(normalise(json.data)).toEqual(normalise(data));
  });

  it('keeps unknown fields (from newer proto versions) and writes them back', () => {
    const data = sampleLogsData();
    const rec = data.resourceLogs[0].scopeLogs[0].logRecords[0];
    // field 99 (varint 7) and field 100 (len "hi"): 0x98 0x06 0x07, 0xa2 0x06 0x02 'h' 'i'
    rec.unknownFields = new Uint8Array([0x98, 0x06, 0x07, 0xa2, 0x06, 0x02, 0x68, 0x69]);
    data.resourceLogs[0].unknownFields = new Uint8Array([0x18 + 0x20 * 0 + 0x20, 0x01]); // field 7 varint 1
    const decoded = decodeLogsRequest(encodeLogsRequest(data)).data;
    expect(Array.from(decoded.resourceLogs[0].scopeLogs[0].logRecords[0].unknownFields!)).toEqual(
      Array.from(rec.unknownFields),
    );
    expect(Array.from(decoded.resourceLogs[0].unknownFields!)).toEqual([0x38, 0x01]);
  });

  it('with keepWire, re-encodes a record as its received bytes plus the attributes added since', () => {
    const bytes = encodeLogsRequest(sampleLogsData());
    const annotated = decodeLogsRequest(bytes, { keepWire: true }).data;
    const expected = decodeLogsRequest(bytes).data;
    const added = [
      { key: 'log.template.id', value: { stringValue: 'T1 ✓' } },
      { key: 'anomaly.score', value: { doubleValue: 0.25 } },
    ];
    for (const data of [annotated, expected])
      for (const sl of data.resourceLogs.flatMap((rl) => rl.scopeLogs))
        for (const rec of sl.logRecords) rec.attributes.push(...added);
    const records = annotated.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords));
    expect(records.every((r) => r.wire !== undefined && r.wire.buffer === bytes.buffer)).toBe(true);

    const out = encodeLogsRequest(annotated);
    // Same model as a full re-encode; the original fields' bytes are copied, not rebuilt.
    expect(normalise(decodeLogsRequest(out).data)).toEqual(normalise(expected));
    const first = records[0];
    expect(out.includes(Buffer.from(first.wire!))).toBe(true);
  });

  it('with keepWire, encodes every field again once a record lost attributes or dropped its wire', () => {
    const bytes = encodeLogsRequest(sampleLogsData());
    const data = decodeLogsRequest(bytes, { keepWire: true }).data;
    const [a, b] = data.resourceLogs[0].scopeLogs[0].logRecords;
    expect(a.attributes.length).toBeGreaterThan(0);
    a.attributes.pop();
    b.body = { stringValue: 'rewritten' };
    delete b.wire;
    const again = decodeLogsRequest(encodeLogsRequest(data)).data.resourceLogs[0].scopeLogs[0].logRecords;
    expect(again[0].attributes).toEqual(a.attributes);
    expect(again[1].body).toEqual({ stringValue: 'rewritten' });
  });

  it('counts an empty request as zero records', () => {
    expect(decodeLogsRequest(new Uint8Array(0))).toEqual({ data: { resourceLogs: [] }, recordCount: 0 });
  });

  describe('rejects malformed input with a DecodeError naming the problem', () => {
    const good = encodeLogsRequest(sampleLogsData());
    const cases: [string, Uint8Array, RegExp][] = [
      ['truncated', good.subarray(0, good.length - 7), /past the end|truncated|overruns/],
      [
        'garbage',
        new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        /varint|wire type/,
      ],
      ['field number 0', new Uint8Array([0x00, 0x01]), /field number 0/],
      ['group wire type', new Uint8Array([0x0b]), /wire type/],
      ['invalid UTF-8', protoWithBody(Buffer.from([0xc3, 0x28])), /UTF-8/],
      ['too deep', protoWithBody(undefined, 40), /deeper than 32/],
    ];
    it.each(cases)('%s', (_name, bytes, message) => {
      expect(() => decodeLogsRequest(bytes)).toThrow(DecodeError);
      expect(() => decodeLogsRequest(bytes)).toThrow(message);
    });
  });
});

describe('OTLP/JSON codec', () => {
  it('round-trips the model through JSON text', () => {
    const data = sampleLogsData();
    const text = JSON.stringify(encodeLogsJson(data));
    expect(text).toContain('"traceId":"5b8efff798038103d269b633813fc60c"');
    expect(text).toContain('"intValue":"-9223372036854775808"');
    expect(text).toContain('"observedTimeUnixNano":"18446744073709551615"');
    const back = decodeLogsRequestJson(Buffer.from(text));
    expect(normalise(back.data)).toEqual(normalise(data));
  });

  it.each([
    ['not JSON', '{"resourceLogs": [', /malformed JSON/],
    ['wrong type', '{"resourceLogs": {"a":1}}', /resourceLogs: expected an array/],
    [
      'bad trace id',
      '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"xyz"}]}]}]}',
      /logRecords\[0\]\.traceId: expected 32 hex digits/,
    ],
    ['bad int64', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"12a"}]}]}]}', /timeUnixNano/],
  ])('rejects %s', (_n, text, message) => {
    expect(() => decodeLogsRequestJson(Buffer.from(text))).toThrow(message);
  });

  it('reads a lone surrogate escape as U+FFFD, as the record is forwarded and stored', () => {
    const text =
      '{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"s\\ud800x"}}]},' +
      '"scopeLogs":[{"logRecords":[{"body":{"stringValue":"a \\udc00 b \\ud83d\\udca5"}}]}]}]}';
    const rl = decodeLogsRequestJson(Buffer.from(text)).data!.resourceLogs[0];
    expect(rl.resource!.attributes[0].value.stringValue).toBe('s\ufffdx');
    // a well-formed pair (an emoji) stays as it is
    expect(rl.scopeLogs[0].logRecords[0].body!.stringValue).toBe('a \ufffd b \u{1f4a5}');
  });

  it('rejects invalid UTF-8 bytes', () => {
    expect(() => decodeLogsRequestJson(Buffer.from([0x7b, 0xff, 0x7d]))).toThrow(/UTF-8/);
  });
});

/** A request whose single record has a string body of the given raw bytes, or a body nested `depth` arrays deep. */
function protoWithBody(raw?: Buffer, depth = 0): Uint8Array {
  let body: LogsData['resourceLogs'][0]['scopeLogs'][0]['logRecords'][0]['body'] = { stringValue: 'x' };
  for (let i = 0; i < depth; i++) body = { arrayValue: { values: [body] } };
  const data = sampleLogsData();
  const rec = data.resourceLogs[0].scopeLogs[0].logRecords[1];
  rec.body = body;
  const bytes = encodeLogsRequest(data);
  if (!raw) return bytes;
  const marker = bytes.indexOf(Buffer.from([0x0a, 0x01, 0x78])); // stringValue "x"
  const out = Buffer.from(bytes);
  out[marker + 2] = raw[0];
  // Replace the single byte 'x' with an invalid 1-byte sequence (0xc3 alone is a truncated 2-byte char).
  return out;
}

async function emitWithSdk() {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'codec', 'host.id': 42 }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('codec-test', '0.0.1');
  logger.emit({
    timestamp: new Date(1_700_000_000_123),
    observedTimestamp: new Date(1_700_000_001_000),
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    eventName: 'evt',
    body: { s: 'str', i: 7, d: 2.5, b: true, arr: ['x', 1], bytes: new Uint8Array([1, 2, 3]) },
    attributes: { k: 'v', n: 12 },
  });
  logger.emit({ body: 'second', severityNumber: SeverityNumber.INFO });
  await provider.forceFlush();
  return exporter.getFinishedLogRecords();
}
