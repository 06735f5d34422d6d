import { ATTR } from '@anomalog/shared';
import type { KeyValue, LogRecord } from '../otlp/types';
import { forEachRecord, type AnnotationStage, type LogBatch, type RecordFacts } from './stage';

/** Last stage of the chain: writes the facts gathered by earlier stages as record attributes. */
export function createAttributesStage(): AnnotationStage {
  return {
    name: 'attributes',
    process(batch: LogBatch): void {
      if (batch.facts.length === 0) return;
      forEachRecord(batch.data, (record, _rl, _sl, i) => {
        const facts = batch.facts[i];
        if (facts) writeFacts(record, facts);
      });
    },
  };
}

export function writeFacts(record: LogRecord, f: RecordFacts): void {
  const out = record.attributes;
  if (f.templateId !== undefined) out.push(str(ATTR.templateId, f.templateId));
  if (f.template !== undefined) out.push(str(ATTR.template, f.template));
  if (f.sessionId !== undefined) out.push(str(ATTR.sessionId, f.sessionId));
  if (f.unscored) {
    out.push({ key: ATTR.unscored, value: { boolValue: true } });
    return;
  }
  if (f.score !== undefined) out.push({ key: ATTR.score, value: { doubleValue: f.score } });
  if (f.isAnomaly !== undefined) out.push({ key: ATTR.isAnomaly, value: { boolValue: f.isAnomaly } });
  if (f.detector !== undefined) out.push(str(ATTR.detector, f.detector));
  if (f.reason !== undefined) out.push(str(ATTR.reason, f.reason));
}

function str(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}
