import { decodeLogsRequest } from '../../src/otlp/logs-decode';
import { encodeLogsRequest } from '../../src/otlp/logs-encode';
import { scanLogsRequest } from '../../src/otlp/logs-scan';
import type { AnyValue } from '../../src/otlp/types';
import { sampleLogsData } from '../processor/fixtures';

/** Outcome of a parser on bytes: the record count, or the reason it refused them. */
function outcome(parse: (b: Uint8Array) => { recordCount: number }, bytes: Uint8Array): string {
  try {
    return `ok ${parse(bytes).recordCount}`;
  } catch (err) {
    return `error ${(err as { reason?: string }).reason}`;
  }
}

/** Tiny deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('validate-only scan (pass-through path) agrees with the full decoder', () => {
  const good = encodeLogsRequest(sampleLogsData());

  it('counts the same records on valid input', () => {
    expect(scanLogsRequest(good)).toEqual({ recordCount: decodeLogsRequest(good).recordCount });
  });

  it('accepts and refuses the same inputs, for the same reason, over 3000 random corruptions', () => {
    const next = rng(42);
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(good);
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      const cut = next() < 0.2 ? bytes.subarray(0, Math.floor(next() * bytes.length)) : bytes;
      const want = outcome(decodeLogsRequest, cut);
      expect(`${i}: ${outcome(scanLogsRequest, cut)}`).toBe(`${i}: ${want}`);
      if (want.startsWith('error')) refused++;
    }
    expect(refused).toBeGreaterThan(300); // the corpus really exercises the error paths
  });

  it('applies the same depth limit', () => {
    for (const depth of [31, 32, 33]) {
      let v: AnyValue = { stringValue: 'x' };
      for (let i = 0; i < depth; i++)
        v = i % 2 ? { arrayValue: { values: [v] } } : { kvlistValue: { values: [{ key: 'k', value: v }] } };
      const d = sampleLogsData();
      d.resourceLogs[0].scopeLogs[0].logRecords[0].attributes.push({ key: 'deep', value: v });
      const bytes = encodeLogsRequest(d);
      expect(outcome(scanLogsRequest, bytes)).toBe(outcome(decodeLogsRequest, bytes));
    }
  });

  it('finds a byte that is not UTF-8 at any place of a string, and passes multi-byte characters', () => {
    for (let length = 1; length <= 9; length++) {
      for (let at = 0; at < length; at++) {
        const d = sampleLogsData();
        const marker = 'q'.repeat(length);
        d.resourceLogs[0].scopeLogs[0].logRecords[0].severityText = marker;
        const bytes = Buffer.from(encodeLogsRequest(d));
        const start = bytes.indexOf(marker);
        expect(outcome(scanLogsRequest, bytes)).toBe(`ok ${decodeLogsRequest(bytes).recordCount}`);
        bytes[start + at] = 0xff;
        expect(`${length}/${at}: ${outcome(scanLogsRequest, bytes)}`).toBe(`${length}/${at}: error invalid-utf8`);
        if (length < 2) continue;
        bytes.write(marker, start, 'latin1');
        bytes.write('é', start + Math.min(at, length - 2), 'utf8');
        expect(outcome(scanLogsRequest, bytes)).toBe(`ok ${decodeLogsRequest(bytes).recordCount}`);
      }
    }
  });
});
