import { ATTR } from '@anomalog/shared';
import { createAttributesStage, SharedAttributes, writeAnnotations } from '../../src/chain/attributes-stage';
import { Parsed, SCORED, UNSCORED, Verdicts, type ParsedRecord } from '../../src/chain/outputs';
import { newBatch, type LogBatch } from '../../src/chain/stage';
import { decodeLogsRequest } from '../../src/otlp/logs-decode';
import { encodedKeyValue, encodeLogsRequest } from '../../src/otlp/logs-encode';
import type { KeyValue, LogsData } from '../../src/otlp/types';
import { sampleLogsData } from '../processor/fixtures';

/** Values of every kind, including multi-byte text and a nested kvlist. */
const KVS = (): KeyValue[] => [
  { key: 'log.template', value: { stringValue: 'GET <*> took <*> ms' } },
  { key: 'utf8', value: { stringValue: 'größe ✓ 😀 lone \ud800' } },
  { key: '', value: { stringValue: 'empty key' } },
  { key: 'long', value: { stringValue: 'x'.repeat(300) } },
  { key: 'flag', value: { boolValue: false } },
  { key: 'd', value: { doubleValue: 0.1234 } },
  { key: 'i', value: { intValue: -5n } },
  {
    key: 'kv',
    value: { kvlistValue: { values: [{ key: 'a', value: { arrayValue: { values: [{ intValue: 1n }] } } }] } },
  },
];

function withAttributes(data: LogsData, add: () => KeyValue[]): LogsData {
  for (const rl of data.resourceLogs)
    for (const sl of rl.scopeLogs) for (const r of sl.logRecords) r.attributes.push(...add());
  return data;
}

describe('pre-encoded KeyValues', () => {
  it('encode to the same bytes as plain ones, on the re-encode and on the received-bytes path', () => {
    const shared = KVS().map(encodedKeyValue);
    const plain = encodeLogsRequest(withAttributes(sampleLogsData(), KVS));
    expect(Buffer.compare(encodeLogsRequest(withAttributes(sampleLogsData(), () => shared)), plain)).toBe(0);
    const received = encodeLogsRequest(sampleLogsData());
    const viaWire = (add: () => KeyValue[]) =>
      encodeLogsRequest(withAttributes(decodeLogsRequest(received, { keepWire: true }).data, add));
    expect(
      Buffer.compare(
        viaWire(() => shared),
        viaWire(KVS),
      ),
    ).toBe(0);
  });

  it('still equal (and serialise as) the plain KeyValue', () => {
    const kvs = KVS();
    const encoded = KVS().map(encodedKeyValue);
    expect(encoded).toStrictEqual(kvs);
    expect(JSON.stringify(encoded, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).toBe(
      JSON.stringify(kvs, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    );
  });
});

/** One record's outputs as a test writes them: its parse output and, when scored, its verdict. */
interface Outputs {
  parsed?: ParsedRecord;
  verdict?: {
    unscored?: true;
    score?: number;
    isAnomaly?: boolean;
    detector?: string;
    reason?: string;
    sessionId?: string;
  };
}

const parsedOf = (templateId: string, template: string): ParsedRecord => ({
  service: 'a',
  message: 'm',
  severityNumber: 9,
  templateId,
  template,
  newTemplate: false,
  tokens: 1,
  timeMs: 0,
});

/** The batch of `data` whose record i has the outputs `outputs[i % outputs.length]`. */
function batchOf(data: LogsData, recordCount: number, outputs: Outputs[]): LogBatch {
  const batch = newBatch(data, recordCount, 0);
  for (let i = 0; i < recordCount; i++) setOutputs(batch.parsed, batch.verdicts, i, outputs[i % outputs.length]);
  return batch;
}

function setOutputs(parsed: Parsed, verdicts: Verdicts, i: number, o: Outputs): void {
  if (o.parsed) parsed.set(i, o.parsed);
  const v = o.verdict;
  if (!v) return;
  verdicts.sessionId[i] = v.sessionId;
  if (v.unscored) {
    verdicts.kind[i] = UNSCORED;
    return;
  }
  verdicts.kind[i] = SCORED;
  verdicts.score[i] = v.score ?? 0;
  verdicts.anomalous[i] = v.isAnomaly ? 1 : 0;
  verdicts.detector[i] = v.detector ?? 'lof';
  verdicts.reason[i] = v.reason;
}

describe('attributes stage with shared attributes', () => {
  const OUTPUTS: Outputs[] = [
    { parsed: parsedOf('t1', 'GET <*>'), verdict: { score: 0.2, isAnomaly: false, detector: 'isolation-forest' } },
    { parsed: parsedOf('t1', 'GET <*>'), verdict: { unscored: true, sessionId: 's1' } },
    {
      parsed: parsedOf('t2', 'PUT <*> größe'),
      verdict: { score: 0.99, isAnomaly: true, detector: 'lof', reason: 'rare' },
    },
    {},
    { parsed: parsedOf('t3', 'x <*>') },
  ];

  it('writes the same attributes and bytes as plain ones', () => {
    const plain = sampleLogsData();
    const viaStage = sampleLogsData();
    const records = (d: LogsData) => d.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords));
    const plainRecords = records(plain);
    const plainBatch = batchOf(plain, plainRecords.length, OUTPUTS);
    plainRecords.forEach((r, i) => {
      if (plainBatch.parsed.has[i] === 1) writeAnnotations(r, plainBatch.parsed, plainBatch.verdicts, i);
    });
    const stage = createAttributesStage();
    // twice: the second pass takes the KeyValues made by the first
    for (const pass of [0, 1]) {
      const data = pass === 0 ? sampleLogsData() : viaStage;
      void stage.process(batchOf(data, records(data).length, OUTPUTS));
    }
    expect(records(viaStage).map((r) => r.attributes)).toStrictEqual(plainRecords.map((r) => r.attributes));
    expect(Buffer.compare(encodeLogsRequest(viaStage), encodeLogsRequest(plain))).toBe(0);
  });

  it('writes no verdict attributes for a record the detect stage did not reach', () => {
    const r = { attributes: [] } as unknown as Parameters<typeof writeAnnotations>[0];
    const parsed = new Parsed(1);
    parsed.set(0, parsedOf('t3', 'x <*>'));
    writeAnnotations(r, parsed, new Verdicts(1), 0);
    expect(r.attributes.map((kv) => kv.key)).toEqual([ATTR.templateId, ATTR.template]);
  });

  it('names the severity of flagged records only, from the score', () => {
    const attrs = (v: Outputs['verdict']) => {
      const r = { attributes: [] } as unknown as Parameters<typeof writeAnnotations>[0];
      const parsed = new Parsed(1);
      const verdicts = new Verdicts(1);
      setOutputs(parsed, verdicts, 0, { parsed: parsedOf('t1', 'GET <*>'), verdict: v });
      writeAnnotations(r, parsed, verdicts, 0);
      return Object.fromEntries(r.attributes.map((kv) => [kv.key, kv.value.stringValue ?? kv.value.doubleValue]));
    };
    expect(attrs({ score: 0.6, isAnomaly: true })['anomaly.severity']).toBe('minor');
    expect(attrs({ score: 0.8, isAnomaly: true })['anomaly.severity']).toBe('major');
    expect(attrs({ score: 0.95, isAnomaly: true })['anomaly.severity']).toBe('critical');
    expect(attrs({ score: 0.4, isAnomaly: false })).not.toHaveProperty('anomaly.severity');
  });

  it('shares one KeyValue per value and starts a value set over past its bound', () => {
    const shared = new SharedAttributes();
    expect(shared.template.get('GET <*>')).toBe(shared.template.get('GET <*>'));
    const first = shared.templateId.get('id-0');
    for (let i = 0; i < 10_000; i++) {
      const kv = shared.templateId.get(`id-${i}`);
      expect(kv.value.stringValue).toBe(`id-${i}`);
    }
    const again = shared.templateId.get('id-0');
    expect(again).not.toBe(first);
    expect(again).toStrictEqual({ key: ATTR.templateId, value: { stringValue: 'id-0' } });
  });
});

describe('our attribute names are ours', () => {
  const spoofed = (): KeyValue[] => [
    { key: ATTR.isAnomaly, value: { boolValue: false } },
    { key: 'http.route', value: { stringValue: '/x' } },
    { key: ATTR.score, value: { doubleValue: 0.01 } },
    { key: ATTR.templateId, value: { stringValue: 'sender-id' } },
    { key: ATTR.reason, value: { stringValue: 'trust me' } },
    { key: 'log.templates', value: { stringValue: 'not ours (another name)' } },
  ];
  const flagged: Outputs = {
    parsed: parsedOf('t9', 'disk <*> failed'),
    verdict: { score: 0.97, isAnomaly: true, detector: 'lof' },
  };

  it('a record arriving with anomaly.* and log.template.* keys leaves with exactly one of each, ours', () => {
    const received = encodeLogsRequest(withAttributes(sampleLogsData(), spoofed));
    const { data, recordCount } = decodeLogsRequest(received, { keepWire: true });
    void createAttributesStage().process(batchOf(data, recordCount, [flagged]));
    const out = decodeLogsRequest(encodeLogsRequest(data)).data;
    for (const rl of out.resourceLogs)
      for (const sl of rl.scopeLogs)
        for (const r of sl.logRecords) {
          const keys = r.attributes.map((kv) => kv.key);
          expect(new Set(keys).size).toBe(keys.length);
          const value = (k: string) => r.attributes.find((kv) => kv.key === k)?.value;
          expect(value(ATTR.isAnomaly)).toEqual({ boolValue: true });
          expect(value(ATTR.score)).toEqual({ doubleValue: 0.97 });
          expect(value(ATTR.templateId)).toEqual({ stringValue: 't9' });
          expect(value(ATTR.reason)).toBeUndefined(); // the sender's, not replaced by one of ours
          expect(value('http.route')).toEqual({ stringValue: '/x' });
          expect(value('log.templates')).toEqual({ stringValue: 'not ours (another name)' });
        }
  });

  it('records without such keys keep their received bytes (the forwarding fast path)', () => {
    const received = encodeLogsRequest(sampleLogsData());
    const { data, recordCount } = decodeLogsRequest(received, { keepWire: true });
    void createAttributesStage().process(batchOf(data, recordCount, [flagged]));
    for (const rl of data.resourceLogs)
      for (const sl of rl.scopeLogs) for (const r of sl.logRecords) expect(r.wire).toBeDefined();
  });
});
