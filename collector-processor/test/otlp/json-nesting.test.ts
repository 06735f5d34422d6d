import { decodeLogsJson, decodeLogsRequestJson, encodeLogsJson, jsonNesting } from '../../src/otlp/logs-json';
import type { AnyValue, LogsData } from '../../src/otlp/types';
import { sampleLogsData } from '../processor/fixtures';

function nested(depth: number, kind: 'kvlist' | 'array'): AnyValue {
  let v: AnyValue = { stringValue: 'leaf' };
  for (let i = 0; i < depth; i++)
    v = kind === 'kvlist' ? { kvlistValue: { values: [{ key: 'k', value: v }] } } : { arrayValue: { values: [v] } };
  return v;
}

function withValue(v: AnyValue): Buffer {
  const data: LogsData = sampleLogsData();
  const r = data.resourceLogs[0].scopeLogs[0].logRecords[0];
  r.body = v;
  r.attributes = [{ key: 'deep', value: v }];
  return Buffer.from(JSON.stringify(encodeLogsJson(data)));
}

describe('JSON nesting checked before parsing', () => {
  it('measures nesting outside strings only', () => {
    expect(jsonNesting(Buffer.from('{"a":[1,{"b":"[[[{{{\\"[["}]}'), 100)).toBe(3);
    expect(jsonNesting(Buffer.from('[[[[]]]]'), 3)).toBe(-1);
  });

  it.each(['kvlist', 'array'] as const)('takes %s values at the depth limit', (kind) => {
    // The deepest value the decoder itself takes passes the scan; one level more is the decoder's refusal.
    let deepest = 0;
    while (
      deepest < 64 &&
      (() => {
        try {
          decodeLogsJson(JSON.parse(withValue(nested(deepest + 1, kind)).toString()), { maxValueDepth: 32 });
          return true;
        } catch {
          return false;
        }
      })()
    )
      deepest++;
    expect(deepest).toBeGreaterThanOrEqual(30);
    expect(decodeLogsRequestJson(withValue(nested(deepest, kind)), { maxValueDepth: 32 }).recordCount).toBeGreaterThan(
      0,
    );
  });

  it('refuses a body of a million nested arrays without parsing it', () => {
    const body = Buffer.from('['.repeat(1_000_000) + ']'.repeat(1_000_000));
    expect(() => decodeLogsRequestJson(body, { maxValueDepth: 32 })).toThrow(/nested deeper/);
  });
});
