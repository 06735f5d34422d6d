import * as sharedPackage from '@anomalog/shared';
import { encodedKeyValue } from '../otlp/logs-encode';
import { severityOf } from '../detect/score-scale';
import type { KeyValue, LogRecord } from '../otlp/types';
import { forEachRecord, type AnnotationStage, type LogBatch } from './stage';
import { SCORED, UNSCORED, type Parsed, type Verdicts } from './outputs';

// Bound once (see logs-decode.ts): a named import is a getter call per use in CommonJS (tsx and dist/ alike).
const { ATTR } = sharedPackage;

/**
 * Last stage of the chain: writes what the parse and detect stages found (their Parsed and Verdicts)
 * as record attributes.
 */
export function createAttributesStage(): AnnotationStage {
  const shared = new SharedAttributes();
  return {
    name: 'attributes',
    process(batch: LogBatch): void {
      const { parsed, verdicts } = batch;
      forEachRecord(batch.data, (record, _rl, _sl, i) => {
        dropOwnKeys(record);
        if (parsed.has[i] === 1) writeAnnotations(record, parsed, verdicts, i, shared);
      });
    },
  };
}

/**
 * Whether an attribute key is in the processor's namespace (`log.template`, `log.template.*`,
 * `anomaly.*`). The first character is tested first: most keys fail there, so records without
 * such keys cost one comparison per attribute.
 */
export function isOwnKey(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c === 0x61 /* a */) return key.startsWith('anomaly.');
  if (c === 0x6c /* l */) return key.startsWith('log.template') && (key.length === 12 || key.charCodeAt(12) === 0x2e);
  return false;
}

/**
 * Removes attributes a sender put in our namespace, so the record leaves with exactly one of each of
 * our keys, ours: a sender cannot pre-set `anomaly.is_anomaly=false` for tools that read the first
 * occurrence. Such a record loses its received bytes (it is re-encoded); others keep the fast path.
 */
export function dropOwnKeys(record: LogRecord): void {
  const attrs = record.attributes;
  let i = 0;
  while (i < attrs.length && !isOwnKey(attrs[i].key)) i++;
  if (i === attrs.length) return;
  let kept = i;
  for (; i < attrs.length; i++) if (!isOwnKey(attrs[i].key)) attrs[kept++] = attrs[i];
  attrs.length = kept;
  record.wire = undefined;
  record.wireAttributes = undefined;
}

/** Values held per attribute; past it the attribute's set starts over (a flood of new templates). */
const MAX_SHARED = 8192;

/** One attribute's KeyValue per distinct string value, pre-encoded. */
class SharedValues {
  private readonly byValue = new Map<string, KeyValue>();
  constructor(private readonly key: string) {}

  get(value: string): KeyValue {
    let kv = this.byValue.get(value);
    if (kv === undefined) {
      if (this.byValue.size >= MAX_SHARED) this.byValue.clear();
      this.byValue.set(value, (kv = encodedKeyValue(str(this.key, value))));
    }
    return kv;
  }
}

/**
 * The attributes whose values repeat across records (template id and text, detector, the flags),
 * made once per value and given to every record that has it, pre-encoded (encodedKeyValue): per
 * record they then cost neither objects nor measuring and writing their strings when forwarded.
 * Records only ever append these objects; nothing changes them.
 */
export class SharedAttributes {
  readonly templateId = new SharedValues(ATTR.templateId);
  readonly template = new SharedValues(ATTR.template);
  readonly detector = new SharedValues(ATTR.detector);
  readonly severity = new SharedValues(ATTR.severity);
  readonly unscored = encodedKeyValue(bool(ATTR.unscored, true));
  readonly anomalous = encodedKeyValue(bool(ATTR.isAnomaly, true));
  readonly normal = encodedKeyValue(bool(ATTR.isAnomaly, false));
}

/**
 * Record `i`'s parse output and verdict as attributes; with `shared`, the repeating ones are its
 * shared KeyValues (same attributes).
 */
export function writeAnnotations(
  record: LogRecord,
  p: Parsed,
  v: Verdicts,
  i: number,
  shared?: SharedAttributes,
): void {
  const out = record.attributes;
  const templateId = p.templateId[i];
  const template = p.template[i];
  out.push(shared ? shared.templateId.get(templateId) : str(ATTR.templateId, templateId));
  out.push(shared ? shared.template.get(template) : str(ATTR.template, template));
  const kind = v.kind[i];
  if (kind !== SCORED && kind !== UNSCORED) return;
  const sessionId = v.sessionId[i];
  if (sessionId !== undefined) out.push(str(ATTR.sessionId, sessionId));
  if (kind === UNSCORED) {
    out.push(shared ? shared.unscored : bool(ATTR.unscored, true));
    return;
  }
  const score = v.score[i];
  const isAnomaly = v.anomalous[i] === 1;
  out.push({ key: ATTR.score, value: { doubleValue: score } });
  out.push(shared ? (isAnomaly ? shared.anomalous : shared.normal) : bool(ATTR.isAnomaly, isAnomaly));
  const detector = v.detector[i];
  out.push(shared ? shared.detector.get(detector) : str(ATTR.detector, detector));
  const severity = isAnomaly ? severityOf(score) : undefined;
  if (severity) out.push(shared ? shared.severity.get(severity) : str(ATTR.severity, severity));
  const reason = v.reason[i];
  if (reason !== undefined) out.push(str(ATTR.reason, reason));
}

function str(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}

function bool(key: string, value: boolean): KeyValue {
  return { key, value: { boolValue: value } };
}
