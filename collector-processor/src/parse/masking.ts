/**
 * Token masking before mining. One pass over each token with cheap char-code checks; regexes only for
 * user rules. The main rule is "a token holding a digit is a variable": it covers numbers, IPs, ports,
 * hex ids, UUIDs, durations, sizes, timestamps and mixed ids like blk_-123 or pid=42, and is what
 * keeps Drain from splitting Proxifier/OpenSSH/Android templates on variable first tokens.
 */
import { backtrackRisk } from '../util/backtrack-risk';
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

/** How far a quoted value may run: a quote left open is not looked for to the end of a long line. */
const QUOTED_VALUE_MAX = 256;

/**
 * Where the quoted value opened at `q` (a `"` just after a token's first `=`) closes, when it spans
 * single spaces: `tag="View Lock"`, `msg="connection reset by peer",`. One value with spaces is one
 * token, so the line keeps the token count of `tag="AudioMix"`. -1 when it closes before any space,
 * does not close within QUOTED_VALUE_MAX chars, or holds other whitespace (a tab, a newline, two
 * spaces: then it is more likely two fields than one value). A `\"` does not close it.
 */
export function quotedValueEnd(text: string, q: number, len: number): number {
  const stop = Math.min(len, q + QUOTED_VALUE_MAX);
  let spaced = false;
  for (let i = q + 1; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return spaced ? i : -1;
    else if (c === 32) {
      if (text.charCodeAt(i - 1) === 32) return -1;
      spaced = true;
    } else if (c === 9 || c === 10 || c === 13 || c === 11 || c === 12) return -1;
  }
  return -1;
}

/**
 * Names that are part of a human-written date. ALWAYS: full month and weekday names (not "may"),
 * a variable wherever they stand. NEAR: abbreviations, "may", AM/PM and zone names, which are also
 * words or acronyms, so they count as a date part only next to another variable (a number or
 * another date part): "Fri Jun 17 07:07:00 PDT 2005" and "7:07 PM" are one variable, "may fail" stays.
 */
const DATE_ALWAYS = [
  'january',
  'february',
  'march',
  'april',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];
const DATE_NEAR = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'mon',
  'tue',
  'tues',
  'wed',
  'thu',
  'thur',
  'thurs',
  'fri',
  'sat',
  'sun',
  'am',
  'pm',
  'utc',
  'gmt',
  'cet',
  'cest',
  'eet',
  'eest',
  'wet',
  'west',
  'bst',
  'ist',
  'jst',
  'kst',
  'msk',
  'est',
  'edt',
  'cst',
  'cdt',
  'mst',
  'mdt',
  'pst',
  'pdt',
  'akst',
  'akdt',
  'hst',
  'aest',
  'aedt',
];
export const NOT_DATE = 0;
export const DATE_WORD = 1;
export const NEAR_DATE = 2;

/** Date names by (length, first letter, second letter), lower case; value: DATE_WORD or NEAR_DATE. */
const DATE_NAMES = new Map<number, [string, number][]>();
for (const [names, kind] of [
  [DATE_ALWAYS, DATE_WORD],
  [DATE_NEAR, NEAR_DATE],
] as const) {
  for (const n of names) {
    const k = dateKey(n.length, n.charCodeAt(0), n.charCodeAt(1));
    const list = DATE_NAMES.get(k) ?? [];
    list.push([n, kind]);
    DATE_NAMES.set(k, list);
  }
}

export function dateKey(len: number, c0: number, c1: number): number {
  return (len << 10) | ((((c0 | 32) - 97) & 31) << 5) | (((c1 | 32) - 97) & 31);
}

/** 1 where some name has that (length, first letter, second letter): most tokens stop at one load. */
export const DATE_HINT = new Uint8Array(16 << 10);
for (const k of DATE_NAMES.keys()) DATE_HINT[k] = 1;

function isLetter(c: number): boolean {
  return ((c | 32) - 97) >>> 0 < 26;
}

/**
 * Whether text[s, e) is a date name (its kind), ignoring case, one leading `[` `(` or `"` and one
 * trailing `,` `.` `:` `;` `)` or `]` ("[Sun", "Fri,", "PM)"). Char compares only: no string is built.
 */
export function dateWordAt(text: string, s: number, e: number): number {
  if (e - s < 2 || e - s > 11) return NOT_DATE;
  let a = s;
  let b = e;
  const first = text.charCodeAt(a);
  if (first === 91 || first === 40 || first === 34) a++;
  const last = text.charCodeAt(b - 1);
  if (last === 44 || last === 46 || last === 58 || last === 59 || last === 41 || last === 93) b--;
  const len = b - a;
  if (len < 2 || len > 9) return NOT_DATE;
  const c0 = text.charCodeAt(a);
  const c1 = text.charCodeAt(a + 1);
  if (!isLetter(c0) || !isLetter(c1)) return NOT_DATE;
  const key = dateKey(len, c0, c1);
  if (DATE_HINT[key] === 0) return NOT_DATE;
  const names = DATE_NAMES.get(key);
  if (names === undefined) return NOT_DATE;
  for (const [name, kind] of names) {
    let j = 2;
    while (j < len && (text.charCodeAt(a + j) | 32) === name.charCodeAt(j)) j++;
    if (j === len) return kind;
  }
  return NOT_DATE;
}

/**
 * An empty slot: `()`, `[]`, `{}`, `<>`, `""` or `''`, maybe with one trailing `,` `;` `:` or `.`.
 * (Access logs' quoted dash `"-"` is not one: as a variable it let their events collapse into one
 * shape on the generalisation set.)
 */
export function isEmptySlotAt(text: string, s: number, e: number): boolean {
  let len = e - s;
  if (len === 3) {
    const p = text.charCodeAt(e - 1);
    if (p !== 44 && p !== 59 && p !== 58 && p !== 46) return false;
    len = 2;
  }
  if (len !== 2) return false;
  const o = text.charCodeAt(s);
  const c = text.charCodeAt(s + 1);
  return (
    (o === 40 && c === 41) ||
    (o === 91 && c === 93) ||
    (o === 123 && c === 125) ||
    (o === 60 && c === 62) ||
    (o === 34 && c === 34) ||
    (o === 39 && c === 39)
  );
}

/**
 * A whole token in `(...)` or `[...]` (maybe with one trailing `,` `;` `:` or `.`): when it is a
 * variable it keeps its place like an empty slot, so `from 10.0.0.1 (ip-10-0-3-17)` has the token
 * count of `from 10.0.0.1 (web01)` and of `from 10.0.0.1 ()`.
 */
export function isBracketedAt(text: string, s: number, e: number): boolean {
  const p = text.charCodeAt(e - 1);
  if (p === 44 || p === 59 || p === 58 || p === 46) e--;
  if (e - s < 3) return false;
  const o = text.charCodeAt(s);
  const c = text.charCodeAt(e - 1);
  return (o === 40 && c === 41) || (o === 91 && c === 93);
}

/** A Windows path: a drive (`C:\...`) or UNC share (`\\host\...`), maybe after one quote or bracket. */
export function isDrivePathAt(text: string, s: number, e: number): boolean {
  let a = s;
  const q = text.charCodeAt(a);
  if (q === 34 || q === 39 || q === 40 || q === 91) a++;
  if (e - a < 3) return false;
  const c0 = text.charCodeAt(a);
  if (c0 === 92) return text.charCodeAt(a + 1) === 92 && isLetter(text.charCodeAt(a + 2));
  return isLetter(c0) && text.charCodeAt(a + 1) === 58 && text.charCodeAt(a + 2) === 92;
}

/**
 * A `key=value` token keeps its key and masks the value, whatever the value holds: `user=bob` and
 * `path=/api/v1/orders/7` become `user=<*>` and `path=<*>` (before, a value with a `/` or `.` before
 * its first digit masked the key too). The cut is the first `=`, with no `.` or `/` before it (so
 * `a.b=c` settings and URLs with queries are left to the other rules); -1 when none, or when the
 * value is blank or a state word.
 */
export function keyValueCut(t: string): number {
  const eq = t.indexOf('=');
  if (eq <= 0 || isBlankValueAt(t, eq + 1, t.length) || isStateValueAt(t, eq + 1, t.length)) return -1;
  for (let i = 0; i < eq; i++) {
    const c = t.charCodeAt(i);
    if (c === 46 || c === 47) return -1;
  }
  return eq;
}

/**
 * An empty value after `key=`: nothing, or only quotes. Those stay constants (`logname=`), as
 * labels write them; the similarity match puts them in the slot of a filled value.
 */
export function isBlankValueAt(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c !== 34 && c !== 39) return false;
  }
  return true;
}

/**
 * A value of letters only, `tty=ssh`, `user=root`: a template shows it where every line of the
 * template has the same one (render.ts), as a word outside a `key=` would be.
 */
export function isWordValueAt(text: string, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) if (!isLetter(text.charCodeAt(i))) return false;
  return true;
}

const STATES = ['true', 'false', 'null', 'none', 'nil', 'yes', 'no', 'on', 'off'];

/**
 * A state value, `true` `false` `null` `none` `nil` `yes` `no` `on` `off` in any case, maybe with
 * a trailing `,` or `;`: such a flag often tells events apart (`visible=true` / `visible=false`), so
 * it stays a constant and the similarity match merges it where it varies within one event.
 */
export function isStateValueAt(text: string, s: number, e: number): boolean {
  const last = text.charCodeAt(e - 1);
  if (last === 44 || last === 59) e--;
  const len = e - s;
  if (len < 2 || len > 5) return false;
  for (const w of STATES) {
    if (w.length !== len) continue;
    let j = 0;
    while (j < len && (text.charCodeAt(s + j) | 32) === w.charCodeAt(j)) j++;
    if (j === len) return true;
  }
  return false;
}

/**
 * A function call written in code, `jk2_init()`: a name (letters first, then letters, digits,
 * `_` `.` `$` `:`) and `()`. Constant even with digits: it names code, not data.
 */
export function isCallAt(text: string, s: number, e: number): boolean {
  if (e - s < 3 || text.charCodeAt(e - 1) !== 41 || text.charCodeAt(e - 2) !== 40) return false;
  if (!isLetter(text.charCodeAt(s))) return false;
  for (let i = s + 1; i < e - 2; i++) {
    const c = text.charCodeAt(i);
    if (!(isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36 || c === 58)) return false;
  }
  return true;
}

/**
 * A stack frame's code location without a line number, `com.example.Foo.bar(Unknown` (the rest,
 * `Source)`, is the next token): a qualified name (letter first, letters, digits, `_` `$` `<` `>`,
 * at least one `.`) then `(` and more text with no `)`. Which method a frame names is data, like the
 * `Foo.java:42` a frame with a line number holds, which the digit rule already masks.
 */
export function isFrameAt(text: string, s: number, e: number): boolean {
  if (!isLetter(text.charCodeAt(s))) return false;
  let dot = false;
  let i = s + 1;
  for (; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) break;
    if (c === 46) dot = true;
    else if (!(isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c === 60 || c === 62)) return false;
  }
  if (!dot || text.charCodeAt(i - 1) === 46 || i + 1 >= e) return false;
  for (let j = i + 1; j < e; j++) if (text.charCodeAt(j) === 41) return false;
  return true;
}

/**
 * A name that ends in one digit, `ssh2`, `SOCKS5`, `ipv6`: two or more ASCII letters, then one digit.
 * The digit rule masks it; a template still shows it where every line has it (miner.ts keptValues).
 */
export function isNumberedNameAt(text: string, s: number, e: number): boolean {
  if (e - s < 3) return false;
  const d = text.charCodeAt(e - 1);
  if (d < 48 || d > 57) return false;
  for (let i = s; i < e - 1; i++) if (!isLetter(text.charCodeAt(i))) return false;
  return true;
}

/** The request methods of HTTP (RFC 9110 and PATCH), by length. */
const HTTP_METHODS = ['GET', 'PUT', 'HEAD', 'POST', 'PATCH', 'TRACE', 'DELETE', 'CONNECT', 'OPTIONS'];

/**
 * `"GET`, `"POST`, ...: a method opening a quoted HTTP request line (`"GET /x HTTP/1.1"`, the form
 * access logs of Apache, nginx, Envoy, HAProxy and Caddy write, and nginx's `request: "..."`). Which
 * method a client sent is data of the request, like its path; the event is "a request was served".
 */
export function isRequestMethodAt(text: string, s: number, e: number): boolean {
  const len = e - s - 1;
  if (len < 3 || len > 7 || text.charCodeAt(s) !== 34) return false;
  for (const m of HTTP_METHODS) if (m.length === len && text.startsWith(m, s + 1)) return true;
  return false;
}

/**
 * `HTTP/1.1"`, `HTTP/2.0",`, `HTTP/2`: the protocol closing a request line names the protocol, not a
 * value (as `ssh2` does), so it stays a constant although it holds a digit: digit, maybe `.` digit,
 * maybe a closing `"`, maybe a `,`.
 */
export function isHttpVersionAt(text: string, s: number, e: number): boolean {
  if (e - s < 6 || !text.startsWith('HTTP/', s)) return false;
  let i = s + 5;
  const d = (c: number): boolean => c >= 48 && c <= 57;
  if (!d(text.charCodeAt(i))) return false;
  i++;
  if (i < e && text.charCodeAt(i) === 46) {
    if (!d(text.charCodeAt(i + 1))) return false;
    i += 2;
  }
  if (i < e && text.charCodeAt(i) === 34) i++;
  if (i < e && text.charCodeAt(i) === 44) i++;
  return i === e;
}

/**
 * `-` or `"-"`: the empty value of an access log's field. After the request line (the token
 * isHttpVersionAt), the fields are the response's (status, size, referer, user agent, ...), where
 * `-` stands for a value that is missing: the same field, so a variable like the value, and a line
 * with `"-"` keeps the shape of one with `"https://example.com/"`. Before the request line (and in
 * a line without one) it stays a constant: there `"-"` can be the request itself (an empty request
 * is another event than a garbled one) and a bare `-` is more often a separator.
 */
export function isDashAt(text: string, s: number, e: number): boolean {
  const len = e - s;
  if (len === 1) return text.charCodeAt(s) === 45;
  return len === 3 && text.charCodeAt(s) === 34 && text.charCodeAt(s + 1) === 45 && text.charCodeAt(s + 2) === 34;
}

/** `/` or a path of one segment (`/login`, `/healthz`), which the path mask (two segments) leaves. */
export function isRootPathAt(text: string, s: number, e: number): boolean {
  if (text.charCodeAt(s) !== 47) return false;
  if (e - s === 1) return true;
  const c = text.charCodeAt(s + 1);
  return isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 46;
}

/** A `key:` token that can end a line whose value is empty: a letter before the colon. */
export function isOpenKeyAt(text: string, s: number, e: number): boolean {
  return e - s >= 2 && text.charCodeAt(e - 1) === 58 && isLetter(text.charCodeAt(e - 2));
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

/**
 * Whether text[s, e) ends in a year: four digits after a space (or at `s`), maybe with a `,`. The
 * `at` after one joins the date (`November 20, 2006 at 9:16 AM`, the long date-time form of en-US
 * locales), where it is part of the date, not of the message (`finished at <date>`).
 */
export function endsInYearAt(text: string, s: number, e: number): boolean {
  if (e > s && text.charCodeAt(e - 1) === 44) e--;
  const y = e - 4;
  if (y < s || (y > s && text.charCodeAt(y - 1) !== 32)) return false;
  for (let i = y; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
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
