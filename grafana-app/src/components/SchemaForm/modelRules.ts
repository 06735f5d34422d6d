/**
 * ModelConfig rules the JSON schema cannot say: which session-key fields matter for the chosen kind,
 * and that the attribute/regex kinds need their field (the shared rules, which the processor also
 * applies: it refuses such a configuration with a 400).
 */
import { sessionKeyProblems as sessionKeyRules, type SessionKeyFields as SessionKey } from '@anomalog/shared';

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

/** Messages by JSON pointer for the cross-field rules (defined once in the shared package). */
export function sessionKeyProblems(config: Record<string, unknown>): Record<string, string> {
  return sessionKeyRules(sessionKeyOf(config));
}
