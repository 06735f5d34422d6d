/**
 * ModelConfig rules the JSON schema cannot say: which session-key fields matter for the chosen kind,
 * and that the attribute/regex kinds need their field (the processor refuses an empty or broken regex
 * with a 400, and an empty attribute would silently give no sessions).
 */
type SessionKey = { kind?: string; attribute?: string; regex?: string };

const FIELD_OF_KIND: Record<string, string> = {
  attribute: '/sessionKey/attribute',
  regex: '/sessionKey/regex',
  window: '/sessionKey/windowSeconds',
};

function sessionKeyOf(config: Record<string, unknown>): SessionKey {
  return (config.sessionKey as SessionKey | undefined) ?? {};
}

/** JSON pointers of session-key fields that do not apply to the chosen kind (hidden in the form). */
export function irrelevantFields(config: Record<string, unknown>): Set<string> {
  const kind = sessionKeyOf(config).kind ?? 'window';
  return new Set(Object.entries(FIELD_OF_KIND).flatMap(([k, pointer]) => (k === kind ? [] : [pointer])));
}

/** Messages by JSON pointer for the cross-field rules. */
export function sessionKeyProblems(config: Record<string, unknown>): Record<string, string> {
  const key = sessionKeyOf(config);
  if (key.kind === 'attribute' && !key.attribute?.trim()) {
    return { '/sessionKey/attribute': 'Name the attribute that holds the session id (e.g. block.id).' };
  }
  if (key.kind === 'regex') {
    if (!key.regex) {
      return { '/sessionKey/regex': 'Give the regular expression that finds the session id in the message.' };
    }
    try {
      new RegExp(key.regex);
    } catch (err) {
      return { '/sessionKey/regex': `Not a valid regular expression: ${(err as Error).message}` };
    }
  }
  return {};
}
