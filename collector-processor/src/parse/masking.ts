/**
 * Token masking before mining. One pass over each token with cheap char-code checks; regexes only for
 * user rules. The main rule is "a token holding a digit is a variable": it covers numbers, IPs, ports,
 * hex ids, UUIDs, durations, sizes, timestamps and mixed ids like blk_-123 or pid=42, and is what
 * keeps Drain from splitting Proxifier/OpenSSH/Android templates on variable first tokens.
 */
import { backtrackRisk } from '../util/backtrack-risk';
export const WILDCARD = '<*>';

export const BUILTIN_MASKS = ['digits', 'units', 'hex', 'path', 'url', 'email'] as const;

/** Size and duration units that trail a number ("18.4 KB)", "<1 sec"): variable with the number. */
const UNITS = new Set([
  'KB',
  'MB',
  'GB',
  'TB',
  'KB)',
  'MB)',
  'GB)',
  'TB)',
  'B)',
  'kB',
  'ms',
  'sec',
  'secs',
  'sec)',
  'ms)',
]);
export type BuiltinMask = (typeof BUILTIN_MASKS)[number];

export interface MaskRule {
  name: string;
  regex: string;
}

export interface Masker {
  /** `<*>` when the token is a variable, else the token itself. */
  mask(token: string): string;
}

/** Index of the first ASCII digit, or -1. */
function firstDigit(t: string): number {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) return i;
  }
  return -1;
}

/**
 * For `key=12` / `name:0x1f` keep the key: the prefix up to the last `=` or `:` before the first
 * digit, when that prefix holds no `.` or `/` (so host:port and paths stay fully masked).
 */
function maskKeyedValue(t: string, digitAt: number): string {
  let cut = -1;
  for (let i = 0; i < digitAt; i++) {
    const c = t.charCodeAt(i);
    if (c === 46 || c === 47) return WILDCARD;
    if (c === 61 || c === 58) cut = i;
  }
  return cut > 0 ? t.slice(0, cut + 1) + WILDCARD : WILDCARD;
}

/** Hex ids that happen to hold no digit (the digit rule catches the rest): 8+ chars of a-f only. */
function isLetterHex(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i) | 32;
    if (c < 97 || c > 102) return false;
  }
  return true;
}

function isPath(t: string): boolean {
  return t.charCodeAt(0) === 47 && t.indexOf('/', 1) > 0;
}

/** Build a masker from the built-ins (minus `disable`) and user rules matched against whole tokens. */
/** A user mask as a whole-token regex; refuses patterns that do not compile or could backtrack catastrophically. */
export function compileMaskRule(r: MaskRule): RegExp {
  const risk = backtrackRisk(r.regex);
  if (risk) throw new Error(`mask rule "${r.name}": ${risk}`);
  try {
    return new RegExp(`^(?:${r.regex})$`);
  } catch (e) {
    throw new Error(`mask rule "${r.name}": ${(e as Error).message}`);
  }
}

export function createMasker(disable: readonly string[] = [], add: readonly MaskRule[] = []): Masker {
  const unknown = disable.filter((d) => !(BUILTIN_MASKS as readonly string[]).includes(d));
  if (unknown.length > 0) throw new Error(`unknown built-in mask(s): ${unknown.join(', ')}`);
  const on = (m: BuiltinMask): boolean => !disable.includes(m);
  const digits = on('digits');
  const hex = on('hex');
  const path = on('path');
  const url = on('url');
  const email = on('email');
  const units = on('units');
  const user = add.map(compileMaskRule);
  return {
    mask(t: string): string {
      if (digits) {
        const at = firstDigit(t);
        if (at >= 0) return maskKeyedValue(t, at);
      }
      if (units && UNITS.has(t)) return WILDCARD;
      if (url && t.includes('://')) return WILDCARD;
      if (path && isPath(t)) return WILDCARD;
      if (email && t.indexOf('@') > 0 && t.includes('.')) return WILDCARD;
      if (hex && t.length >= 8 && isLetterHex(t)) return WILDCARD;
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

/** True when the text looks binary: NUL/control chars or U+FFFD replacement chars make up >10%. */
export function looksBinary(s: string): boolean {
  let bad = 0;
  const n = Math.min(s.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return bad * 10 > n;
}

/**
 * Runs of adjacent variable tokens become one `<*>` (their raw text joined as one param), so
 * "(18.4 KB)" or "<1 sec" cost the same token count as "00:01". Edits `raw` in place to match.
 */
export function collapseWildcards(masked: string[], raw: string[]): string[] {
  let w = 0;
  for (let r = 0; r < masked.length; r++) {
    if (masked[r] === WILDCARD && w > 0 && masked[w - 1] === WILDCARD) {
      raw[w - 1] += ' ' + raw[r];
      continue;
    }
    masked[w] = masked[r];
    raw[w] = raw[r];
    w++;
  }
  masked.length = w;
  raw.length = w;
  return masked;
}

/**
 * The general front end: binary check, tokenize, mask token by token, collapse. undefined when the
 * line is binary or has no token. The miner's LineScanner (scan.ts) must give exactly this.
 */
export function maskLine(
  text: string,
  maxTokens: number,
  masker: Masker,
): { raw: string[]; masked: string[] } | undefined {
  if (looksBinary(text)) return undefined;
  const raw = tokenize(text, maxTokens);
  if (raw.length === 0) return undefined;
  const masked = new Array<string>(raw.length);
  for (let i = 0; i < raw.length; i++) masked[i] = masker.mask(raw[i]);
  collapseWildcards(masked, raw);
  return { raw, masked };
}
