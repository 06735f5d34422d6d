/**
 * Token masking before mining. One pass over each token with cheap char-code checks; regexes only for
 * user rules. The main rule is "a token holding a digit is a variable": it covers numbers, IPs, ports,
 * hex ids, UUIDs, durations, sizes, timestamps and mixed ids like blk_-123 or pid=42, and is what
 * keeps Drain from splitting Proxifier/OpenSSH/Android templates on variable first tokens.
 */
export const WILDCARD = '<*>';

export const BUILTIN_MASKS = ['digits', 'hex', 'path', 'url', 'email'] as const;
export type BuiltinMask = (typeof BUILTIN_MASKS)[number];

export interface MaskRule {
  name: string;
  regex: string;
}

export interface Masker {
  /** `<*>` when the token is a variable, else the token itself. */
  mask(token: string): string;
}

function hasDigit(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

const HEX = /^(0x)?[0-9a-f]{8,}$/i;

function isPath(t: string): boolean {
  return t.charCodeAt(0) === 47 && t.indexOf('/', 1) > 0;
}

/** Build a masker from the built-ins (minus `disable`) and user rules matched against whole tokens. */
export function createMasker(disable: readonly string[] = [], add: readonly MaskRule[] = []): Masker {
  const unknown = disable.filter((d) => !(BUILTIN_MASKS as readonly string[]).includes(d));
  if (unknown.length > 0) throw new Error(`unknown built-in mask(s): ${unknown.join(', ')}`);
  const on = (m: BuiltinMask): boolean => !disable.includes(m);
  const digits = on('digits');
  const hex = on('hex');
  const path = on('path');
  const url = on('url');
  const email = on('email');
  const user = add.map((r) => {
    try {
      return new RegExp(`^(?:${r.regex})$`);
    } catch (e) {
      throw new Error(`mask rule "${r.name}": ${(e as Error).message}`);
    }
  });
  return {
    mask(t: string): string {
      if (digits && hasDigit(t)) return WILDCARD;
      if (url && t.includes('://')) return WILDCARD;
      if (path && isPath(t)) return WILDCARD;
      if (email && t.indexOf('@') > 0 && t.includes('.')) return WILDCARD;
      if (hex && t.length >= 8 && HEX.test(t)) return WILDCARD;
      for (const re of user) if (re.test(t)) return WILDCARD;
      return t;
    },
  };
}

/** Split on runs of whitespace without a regex; at most `maxTokens` tokens (the rest is dropped). */
export function tokenize(line: string, maxTokens: number): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const space = c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
    if (space) {
      if (start >= 0) {
        out.push(line.slice(start, i));
        start = -1;
        if (out.length >= maxTokens) return out;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0 && out.length < maxTokens) out.push(line.slice(start));
  return out;
}
