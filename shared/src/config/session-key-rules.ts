import { RE2JS } from 're2js';

/**
 * The session-key rules the JSON schema cannot say: the attribute and regex kinds need their field,
 * and the regex must compile in RE2, the linear-time engine the processor runs it with (no
 * backreferences, no lookaround), so the form refuses what the processor would. One definition for the Grafana app's form (messages under the field)
 * and the processor (refuses such a configuration at start-up and on update).
 */
export interface SessionKeyFields {
  kind?: string;
  attribute?: string;
  regex?: string;
}

/** Messages by JSON pointer relative to the model configuration; empty when the key is usable. */
export function sessionKeyProblems(key: SessionKeyFields): Record<string, string> {
  if (key.kind === 'attribute' && !key.attribute?.trim()) {
    return { '/sessionKey/attribute': 'Name the attribute that holds the session id (e.g. block.id).' };
  }
  if (key.kind === 'regex') {
    if (!key.regex) {
      return { '/sessionKey/regex': 'Give the regular expression that finds the session id in the message.' };
    }
    try {
      RE2JS.compile(key.regex);
    } catch (err) {
      return {
        '/sessionKey/regex':
          `Not a valid regular expression for the linear-time (RE2) engine: ${(err as Error).message}. ` +
          'Backreferences and lookaround are not supported; the first capture group (or the whole match) is the session id.',
      };
    }
  }
  return {};
}

/** The first problem as one line naming the key (`sessionKey.regex: …`), for logs and API errors. */
export function sessionKeyProblem(key: SessionKeyFields): string | undefined {
  const [pointer, message] = Object.entries(sessionKeyProblems(key))[0] ?? [];
  return pointer && `${pointer.slice(1).replace(/\//g, '.')}: ${message}`;
}
