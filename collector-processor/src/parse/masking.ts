/**
 * Token masking before mining. One pass over each token with cheap char-code checks; regexes only for
 * user rules. The main rule is "a token holding a digit is a variable": it covers numbers, IPs, ports,
 * hex ids, UUIDs, durations, sizes, timestamps and mixed ids like blk_-123 or pid=42, and is what
 * keeps Drain from splitting Proxifier/OpenSSH/Android templates on variable first tokens.
 */
import { backtrackRisk } from '../util/backtrack-risk';
import { DATE_WORD, dateWordAt, endsInYearAt, NEAR_DATE } from './date-words';
import {
  isBracketedAt,
  isCallAt,
  isDashAt,
  isDrivePathAt,
  isEmptySlotAt,
  isFrameAt,
  isHttpVersionAt,
  isOpenKeyAt,
  isRequestMethodAt,
  isRootPathAt,
  keyValueCut,
  quotedValueEnd,
} from './token-shapes';
export const WILDCARD = '<*>';
/**
 * What Masker.mask gives an empty slot (`()`, `""`): a variable that does not join the variables
 * beside it, so `from 10.0.0.1 ()` keeps the token count of `from 10.0.0.1 (web01)` and the two
 * meet by similarity. maskLine turns it into `<*>` after collapsing (the space: no token is this).
 */
export const EMPTY_SLOT = ' <*>';

export const BUILTIN_MASKS = [
  'digits',
  'units',
  'hex',
  'path',
  'url',
  'email',
  'dates',
  'empty',
  'key-values',
  'drive-path',
  'open-key',
  'root-path',
  'calls',
  'frames',
  'quoted-values',
  'free-text',
  'request-line',
  'response-dash',
  'dash-slot',
] as const;

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
  /** `<*>` when the token is a variable, `key=<*>` for a kept key, else the token itself. */
  mask(token: string): string;
  /** A month/weekday abbreviation, AM/PM or zone name: a variable only beside one (see maskLine). */
  nearDate(token: string): boolean;
  /** Date names and forms are variables (also `at` after a year: endsInYearAt). */
  readonly dates: boolean;
  /** A line ending in `key:` gets an empty variable after it (the same event as `key: value`). */
  readonly openKey: boolean;
  /** A `key="..."` value with spaces in it is one token (quotedValueEnd). */
  readonly quotedValues: boolean;
  /** A verb and then free text ending a sentence is the verb and one variable (free-text.ts). */
  readonly freeText: boolean;
  /** After a request line's `HTTP/1.1"`, a `-` or `"-"` is a variable (isDashAt). */
  readonly responseDash: boolean;
  /** A bare `-` matches any token at its position when a line meets a template (miner.ts DASH). */
  readonly dashSlot: boolean;
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
  const dates = on('dates');
  const empty = on('empty');
  const keyValues = on('key-values');
  const drivePath = on('drive-path');
  const rootPath = on('root-path');
  const calls = on('calls');
  const frames = on('frames');
  const requestLine = on('request-line');
  const user = add.map(compileMaskRule);
  return {
    mask(t: string): string {
      if (keyValues) {
        const cut = keyValueCut(t);
        if (cut > 0) return t.slice(0, cut + 1) + WILDCARD;
      }
      if (digits) {
        const at = firstDigit(t);
        if (at >= 0 && !(calls && isCallAt(t, 0, t.length)) && !(requestLine && isHttpVersionAt(t, 0, t.length))) {
          const m = maskKeyedValue(t, at);
          return m === WILDCARD && empty && isBracketedAt(t, 0, t.length) ? EMPTY_SLOT : m;
        }
      }
      if (units && UNITS.has(t)) return WILDCARD;
      if (url && t.includes('://')) return WILDCARD;
      if (path && isPath(t)) return WILDCARD;
      if (rootPath && isRootPathAt(t, 0, t.length)) return WILDCARD;
      if (email && t.indexOf('@') > 0 && t.includes('.')) return WILDCARD;
      if (hex && t.length >= 8 && isLetterHex(t)) return WILDCARD;
      if (dates && dateWordAt(t, 0, t.length) === DATE_WORD) return WILDCARD;
      if (empty && isEmptySlotAt(t, 0, t.length)) return EMPTY_SLOT;
      if (drivePath && isDrivePathAt(t, 0, t.length)) return WILDCARD;
      if (frames && isFrameAt(t, 0, t.length)) return WILDCARD;
      if (requestLine && isRequestMethodAt(t, 0, t.length)) return WILDCARD;
      for (const re of user) if (re.test(t)) return WILDCARD;
      return t;
    },
    nearDate(t: string): boolean {
      return dates && dateWordAt(t, 0, t.length) === NEAR_DATE;
    },
    dates,
    openKey: on('open-key'),
    quotedValues: on('quoted-values'),
    freeText: on('free-text'),
    responseDash: requestLine && on('response-dash'),
    dashSlot: on('dash-slot'),
  };
}

/** Split on runs of whitespace without a regex; at most `maxTokens` tokens (the rest is dropped). */
export function tokenize(line: string, maxTokens: number): string[] {
  return tokenizeWhole(line, maxTokens, false).tokens;
}

/**
 * tokenize(), and whether the tokens are the whole line (not cut at maxTokens). With `quoted`, a
 * `key="..."` value holding spaces is one token (quotedValueEnd).
 */
function tokenizeWhole(line: string, maxTokens: number, quoted: boolean): { tokens: string[]; whole: boolean } {
  const out: string[] = [];
  let start = -1;
  let eq = -1;
  let quoteEnd = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const space = c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
    if (space && i > quoteEnd) {
      if (start >= 0) {
        out.push(line.slice(start, i));
        start = -1;
        eq = -1;
        if (out.length >= maxTokens) return { tokens: out, whole: isBlank(line, i) };
      }
      continue;
    }
    if (start < 0) start = i;
    if (!quoted) continue;
    if (c === 61 && eq < 0) eq = i;
    else if (c === 34 && eq >= 0 && i === eq + 1) quoteEnd = quotedValueEnd(line, i, line.length);
  }
  if (start >= 0) out.push(line.slice(start));
  return { tokens: out, whole: true };
}

function isBlank(line: string, from: number): boolean {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (!(c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12)) return false;
  }
  return true;
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
 * The general front end: binary check, tokenize, mask token by token, date names beside a variable
 * become variables, collapse, and an empty variable after a line-ending `key:`. undefined when the
 * line is binary or has no token. The miner's LineScanner (scan.ts) must give exactly this.
 */
export function maskLine(
  text: string,
  maxTokens: number,
  masker: Masker,
): { raw: string[]; masked: string[] } | undefined {
  if (looksBinary(text)) return undefined;
  const { tokens: raw, whole } = tokenizeWhole(text, maxTokens, masker.quotedValues);
  if (raw.length === 0) return undefined;
  const masked = new Array<string>(raw.length);
  for (let i = 0; i < raw.length; i++) masked[i] = masker.mask(raw[i]);
  if (masker.responseDash) maskResponseDashes(masked, raw);
  maskNearDates(masked, raw, masker);
  if (masker.dates) maskYearAt(masked, raw);
  collapseWildcards(masked, raw);
  for (let i = 0; i < masked.length; i++) if (masked[i] === EMPTY_SLOT) masked[i] = WILDCARD;
  const last = masked[masked.length - 1];
  if (masker.openKey && whole && last === raw[raw.length - 1] && isOpenKeyAt(last, 0, last.length)) {
    masked.push(WILDCARD);
    raw.push('');
  }
  return { raw, masked };
}

/** `at` right after a variable ending in a year (endsInYearAt) is part of that date. */
function maskYearAt(masked: string[], raw: string[]): void {
  for (let i = 1; i < masked.length; i++)
    if (
      raw[i] === 'at' &&
      masked[i] === 'at' &&
      masked[i - 1] === WILDCARD &&
      endsInYearAt(raw[i - 1], 0, raw[i - 1].length)
    )
      masked[i] = WILDCARD;
}

/** A `-` or `"-"` after a request line's protocol token is a variable (isDashAt). */
function maskResponseDashes(masked: string[], raw: string[]): void {
  let after = false;
  for (let i = 0; i < masked.length; i++) {
    const r = raw[i];
    if (after && masked[i] === r && isDashAt(r, 0, r.length)) masked[i] = WILDCARD;
    else if (!after && masked[i] === r && isHttpVersionAt(r, 0, r.length)) after = true;
  }
}

/** Runs of NEAR date names (`Fri Jun`, `PM`, `PDT`) next to a variable become variables. */
function maskNearDates(masked: string[], raw: string[], masker: Masker): void {
  for (let i = 0; i < masked.length;) {
    if (masked[i] === WILDCARD || masked[i] !== raw[i] || !masker.nearDate(raw[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < masked.length && masked[j] === raw[j] && masker.nearDate(raw[j])) j++;
    const beside = (i > 0 && masked[i - 1] === WILDCARD) || (j < masked.length && masked[j] === WILDCARD);
    if (beside) for (let k = i; k < j; k++) masked[k] = WILDCARD;
    i = j;
  }
}
