/**
 * The session a record belongs to, from the service's session key: its trace id, an attribute
 * (record first, then resource), or the first match of a regex on the message (its first capture
 * group, or the whole match without one; run by a linear-time engine, see util/user-regex.ts). Time
 * windows are not sessions: records in `window` mode carry no session id.
 */
import { sessionKeyProblem, type ModelConfig } from '@anomalog/shared';
import type { AnyValue, KeyValue, LogRecord, ResourceLogs } from '../otlp/types';
import { compileUserRegex, UserRegexError } from '../util/user-regex';

export type SessionKeyConfig = ModelConfig['sessionKey'];

export type SessionOf = (record: LogRecord, resource: ResourceLogs, message: string) => string | undefined;

/** Throws the first problem of the key (see the shared session-key rules) as one line. */
export function sessionKeyFn(key: SessionKeyConfig): SessionOf {
  const problem = sessionKeyProblem(key);
  if (problem) throw new Error(problem);
  switch (key.kind) {
    case 'trace':
      return (record) => (record.traceId.length ? Buffer.from(record.traceId).toString('hex') : undefined);
    case 'attribute': {
      const name = key.attribute!.trim();
      return (record, resource) =>
        scalar(find(record.attributes, name)) ?? scalar(find(resource.resource?.attributes ?? [], name));
    }
    case 'regex': {
      let re;
      try {
        re = compileUserRegex(key.regex!);
      } catch (err) {
        if (err instanceof UserRegexError) throw new Error(`sessionKey.regex: ${err.message}`);
        throw err;
      }
      return (_record, _resource, message) => re.first(message);
    }
    default:
      return () => undefined;
  }
}

function find(attrs: readonly KeyValue[], key: string): AnyValue | undefined {
  for (const kv of attrs) if (kv.key === key) return kv.value;
  return undefined;
}

function scalar(v: AnyValue | undefined): string | undefined {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return v.intValue.toString();
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  return undefined;
}
