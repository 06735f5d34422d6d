/**
 * Property-based fuzzing of every decoder (OTLP protobuf, OTLP JSON, gzip) and, over real sockets,
 * of both receivers: for any input, a clear refusal (DecodeError; HTTP 4xx, gRPC INVALID_ARGUMENT)
 * or an acceptance, never another error, and the process keeps serving. Case counts are bounded so
 * this stays a quick part of `npm test`; raise FUZZ_RUNS locally for a longer search.
 */
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { DecodeError } from '../../src/otlp/errors';
import { decodeLogsRequest } from '../../src/otlp/logs-decode';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { decodeLogsRequestJson, encodeLogsJson } from '../../src/otlp/logs-json';
import { scanLogsRequest } from '../../src/otlp/logs-scan';
import { createTemplateStage } from '../../src/chain/parse-stage';
import { sampleLogsData } from './fixtures';
import { grpcExport, httpPost, start } from './helpers';
import { newBatch } from '../../src/chain/stage';

jest.setTimeout(120000);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const NET_RUNS = Math.max(20, Math.floor(RUNS / 6));
const SEED = Number(process.env.FUZZ_SEED ?? 17);

const validProto = encodeLogsRequest(sampleLogsData());
const validJson = Buffer.from(JSON.stringify(encodeLogsJson(sampleLogsData())));

/** A valid message with bytes overwritten, cut, or spliced: inputs that get past the first checks. */
function mutated(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc
      .array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
      .map((edits) => {
        const b = Uint8Array.from(base);
        for (const [at, v] of edits) b[at] = v;
        return b;
      }),
    fc.nat(base.length).map((n) => base.subarray(0, n)),
    fc.tuple(fc.nat(base.length), fc.uint8Array({ maxLength: 64 })).map(([at, junk]) => {
      const b = new Uint8Array(base.length + junk.length);
      b.set(base.subarray(0, at));
      b.set(junk, at);
      b.set(base.subarray(at), at + junk.length);
      return b;
    }),
  );
}

const protoInput = fc.oneof(fc.uint8Array({ maxLength: 2048 }), mutated(validProto));

/** JSON documents shaped like OTLP, with any value anywhere, plus arbitrary JSON and broken text. */
const otlpLikeJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue(),
    fc.record({ stringValue: fc.anything() }, { requiredKeys: [] }),
    fc.record({ intValue: fc.oneof(fc.string(), fc.double(), fc.bigInt().map(String)) }, { requiredKeys: [] }),
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('value'), { maxLength: 3 }) }) }),
    fc.record({ kvlistValue: fc.record({ values: fc.array(tie('kv'), { maxLength: 3 }) }) }),
  ),
  kv: fc.record({ key: fc.oneof(fc.string(), fc.anything()), value: tie('value') }, { requiredKeys: [] }),
  record: fc.record(
    {
      timeUnixNano: fc.oneof(fc.string(), fc.double(), fc.bigInt().map(String), fc.constant(1e300)),
      severityNumber: fc.anything(),
      body: tie('value'),
      attributes: fc.array(tie('kv'), { maxLength: 4 }),
      traceId: fc.oneof(fc.stringMatching(/^[0-9a-f]{0,40}$/), fc.string()),
    },
    { requiredKeys: [] },
  ),
  doc: fc.record({
    resourceLogs: fc.array(
      fc.record({
        resource: fc.record({ attributes: fc.array(tie('kv'), { maxLength: 3 }) }, { requiredKeys: [] }),
        scopeLogs: fc.array(fc.record({ logRecords: fc.array(tie('record'), { maxLength: 4 }) }), { maxLength: 3 }),
      }),
      { maxLength: 3 },
    ),
  }),
})).doc as fc.Arbitrary<unknown>;

const jsonInput = fc.oneof(
  otlpLikeJson.map((d) => Buffer.from(JSON.stringify(d))),
  fc.json().map((t) => Buffer.from(t)),
  fc.string().map((t) => Buffer.from(t)),
  mutated(validJson),
);

/** Decoding either succeeds or refuses with a DecodeError: anything else would be a 500 or a crash. */
function decodesOrRefuses(decode: () => unknown): void {
  try {
    decode();
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    expect(err.message.length).toBeGreaterThan(0);
  }
}

describe('decoders, for any input: a result or a DecodeError', () => {
  test('OTLP protobuf (decoder with and without received bytes, and the validate-only scan)', () => {
    fc.assert(
      fc.property(protoInput, (buf) => {
        decodesOrRefuses(() => decodeLogsRequest(buf, { keepWire: true }));
        decodesOrRefuses(() => decodeLogsRequest(buf));
        decodesOrRefuses(() => scanLogsRequest(buf));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('decoded protobuf re-encodes and decodes to the same records', () => {
    fc.assert(
      fc.property(protoInput, (buf) => {
        let decoded;
        try {
          decoded = decodeLogsRequest(buf);
        } catch {
          return;
        }
        const again = decodeLogsRequest(encodeLogsRequest(decoded.data));
        expect(again.recordCount).toBe(decoded.recordCount);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('OTLP JSON', () => {
    fc.assert(
      fc.property(jsonInput, (buf) => decodesOrRefuses(() => decodeLogsRequestJson(buf))),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('what the decoders accept, the parse stage takes without throwing', async () => {
    const parse = createTemplateStage();
    await parse.open();
    await fc.assert(
      fc.asyncProperty(fc.oneof(protoInput, jsonInput), async (buf) => {
        let decoded;
        try {
          decoded = buf[0] === 0x7b ? decodeLogsRequestJson(buf) : decodeLogsRequest(buf);
        } catch {
          return;
        }
        await parse.process(newBatch(decoded.data, decoded.recordCount, 0));
      }),
      { numRuns: Math.floor(RUNS / 3), seed: SEED },
    );
  });
});

describe('receivers, for any body: a clear answer and the process keeps serving', () => {
  let proc: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    proc = await start({ receiver: { maxRecvMsgSizeMiB: 1 } });
  });
  afterAll(() => proc.close());

  const answersClearly = async (body: Buffer, headers: Record<string, string>) => {
    const r = await httpPost(proc.httpAddress, '/v1/logs', body, headers);
    expect([200, 400, 415]).toContain(r.status);
  };

  test('OTLP/HTTP protobuf, JSON and gzip bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          protoInput.map((b) => [Buffer.from(b), { 'content-type': 'application/x-protobuf' }] as const),
          jsonInput.map((b) => [b, { 'content-type': 'application/json' }] as const),
          fc
            .oneof(
              protoInput.map((b) => gzipSync(b)),
              fc.uint8Array({ maxLength: 512 }),
              mutated(gzipSync(validProto)),
            )
            .map(
              (b) =>
                [Buffer.from(b), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }] as const,
            ),
        ),
        async ([body, headers]) => answersClearly(Buffer.from(body), headers),
      ),
      { numRuns: NET_RUNS, seed: SEED },
    );
    const ok = await httpPost(proc.httpAddress, '/v1/logs', validProto, { 'content-type': 'application/x-protobuf' });
    expect(ok.status).toBe(200);
  });

  test('OTLP/gRPC bodies', async () => {
    await fc.assert(
      fc.asyncProperty(protoInput, async (body) => {
        const a = await grpcExport(proc.grpcAddress, Buffer.from(body));
        expect([grpc.status.OK, grpc.status.INVALID_ARGUMENT]).toContain(a.code);
      }),
      { numRuns: NET_RUNS, seed: SEED },
    );
    expect((await grpcExport(proc.grpcAddress, validProto)).code).toBe(grpc.status.OK);
  });
});
