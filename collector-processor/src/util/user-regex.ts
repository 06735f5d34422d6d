import * as re2js from 're2js';

const { RE2JS } = re2js;

/**
 * A user's pattern (session keys, benchmark uploads) run by RE2's linear-time engine: no input can
 * make it backtrack, so a pattern like `^(x+x+)+y` costs the same per character as any other and
 * never stalls the event loop. The key it finds is the first capture group, or the whole match
 * when the pattern has no group.
 */
export interface UserRegex {
  /** The key of the first match in `text`, if any. */
  first(text: string): string | undefined;
  /** The keys of every match in `text`, left to right. */
  all(text: string): string[];
}

/** Thrown for a pattern RE2 cannot run; the message says why and what is supported. */
export class UserRegexError extends Error {}

export function compileUserRegex(source: string): UserRegex {
  let pattern: re2js.RE2JS;
  try {
    pattern = RE2JS.compile(source);
  } catch (err) {
    throw new UserRegexError(
      `Not a valid regular expression for the linear-time (RE2) engine: ${(err as Error).message}. ` +
        'Backreferences and lookaround are not supported; the first capture group (or the whole match) is the session id.',
    );
  }
  const group = pattern.groupCount() > 0 ? 1 : 0;
  const keyOf = (m: re2js.Matcher): string | undefined => m.group(group) ?? undefined;
  return {
    first(text) {
      const m = pattern.matcher(text);
      return m.find() ? keyOf(m) : undefined;
    },
    all(text) {
      const m = pattern.matcher(text);
      const keys: string[] = [];
      // find() steps past an empty match itself
      while (m.find()) {
        const k = keyOf(m);
        if (k !== undefined) keys.push(k);
      }
      return keys;
    },
  };
}
