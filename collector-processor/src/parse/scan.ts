/**
 * The miner's front end in one pass over the line's char codes: binary check, whitespace tokenising
 * (capped at maxTokens), the built-in masks of masking.ts and the collapse of adjacent wildcards, with
 * no per-token string unless a user rule needs one. It gives token bounds and a kind per token in
 * reusable typed arrays plus a hash of the masked line, so a repeated masked line can be looked up
 * without building it. It must agree exactly with the general path (tokenize + createMasker().mask +
 * collapse), which test/parse/fast-path.test.ts checks over a generated corpus.
 */
import * as dateWords from './date-words';
import { BUILTIN_MASKS, compileMaskRule, type MaskRule } from './masking';
import * as shapes from './token-shapes';

// Local copies: the scan calls these per token, and an imported binding can cost a getter call
// that also keeps the call from being inlined.
const { DATE_WORD, NEAR_DATE, NOT_DATE } = dateWords;
const dateWordAt = dateWords.dateWordAt;
const endsInYearAt = dateWords.endsInYearAt;
const dateKey = dateWords.dateKey;
const DATE_HINT = dateWords.DATE_HINT;
const isBlankValueAt = shapes.isBlankValueAt;
const isStateValueAt = shapes.isStateValueAt;
const isCallAt = shapes.isCallAt;
const isRootPathAt = shapes.isRootPathAt;
const isDrivePathAt = shapes.isDrivePathAt;
const isEmptySlotAt = shapes.isEmptySlotAt;
const isBracketedAt = shapes.isBracketedAt;
const isOpenKeyAt = shapes.isOpenKeyAt;
const isFrameAt = shapes.isFrameAt;
const isRequestMethodAt = shapes.isRequestMethodAt;
const isHttpVersionAt = shapes.isHttpVersionAt;
const isDashAt = shapes.isDashAt;
const quotedValueEnd = shapes.quotedValueEnd;

/** Token kinds: kept as is, masked whole to `<*>`, or `key=`/`key:` kept before `<*>`. */
export const CONST = 0;
export const WILD = 1;
export const KEYED = 2;
/** While scanning only: a date name kept unless a variable follows (then it joins the variable). */
const NEAR = 3;
/** While scanning only: an empty slot, a variable that does not join its neighbours (EMPTY_SLOT). */
const SLOT = 4;

const W = '<*>';
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Only the first this many chars decide whether a line looks binary (as looksBinary in masking.ts). */
const BINARY_WINDOW = 4096;
const UNIT_LIST = ['KB', 'MB', 'GB', 'TB', 'KB)', 'MB)', 'GB)', 'TB)', 'B)', 'kB', 'ms', 'sec', 'secs', 'sec)', 'ms)'];

/** FNV-1a of `<*>`: a wildcard token hashes like the literal text it is replaced by. */
const WILD_HASH = fnv(FNV_OFFSET, W);

export function fnv(h: number, s: string): number {
  return fnvRange(s, 0, s.length, h);
}

/**
 * FNV-1a of text[s, e). Hashed once a token's kind is known, and only for the tokens that keep their
 * text: a hash carried through the char loop made every char wait on the previous one's multiply, and
 * most chars of a typical line lie in variables, whose text the line's hash never uses.
 */
function fnvRange(text: string, s: number, e: number, h = FNV_OFFSET): number {
  for (let i = s; i < e; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/** 1 at the char codes a unit word starts with: most short tokens are ruled out by their first char. */
const UNIT_FIRST = new Uint8Array(128);
for (const u of UNIT_LIST) UNIT_FIRST[u.charCodeAt(0)] = 1;

/** `text[s, s+len)` equals one of the unit words, compared in place. */
function isUnitAt(text: string, s: number, len: number): boolean {
  const c = text.charCodeAt(s);
  if (c >= 128 || UNIT_FIRST[c] === 0) return false;
  for (const u of UNIT_LIST) if (u.length === len && text.startsWith(u, s)) return true;
  return false;
}

/** A `.` or `/` in text[s, e): such a `key=` is a setting or a URL, not a key (rare: only before an `=`). */
function hasDotOrSlash(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 47) return true;
  }
  return false;
}

export class LineScanner {
  /** Token bounds after collapsing: text[start[i], end[i]). */
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly kind: Uint8Array;
  /** KEYED tokens: length of the kept key prefix (through the `=`/`:`). */
  readonly keyLen: Int32Array;
  /** 1 when a collapsed run of wildcards had separators other than one space (param must be re-joined). */
  readonly loose: Uint8Array;
  /** Hash of the masked token sequence of the last scan (service not included). */
  hash = 0;
  /**
   * Whitespace-separated tokens of the last scanned text as detect-stage's tokenCount counts them
   * (before masking and collapsing; only space, tab, CR and LF separate), or -1 when the scan cannot
   * tell: it stopped at maxTokens, met a VT/FF (a separator here, a token char there) or the text
   * looks binary. The detect stage takes it instead of walking every message a second time.
   */
  spaceTokens = -1;
  private readonly digits: boolean;
  private readonly units: boolean;
  private readonly hex: boolean;
  private readonly path: boolean;
  private readonly url: boolean;
  private readonly email: boolean;
  private readonly dates: boolean;
  private readonly empty: boolean;
  private readonly keyValues: boolean;
  private readonly drivePath: boolean;
  private readonly openKey: boolean;
  private readonly rootPath: boolean;
  private readonly calls: boolean;
  private readonly frames: boolean;
  private readonly quoted: boolean;
  private readonly requestLine: boolean;
  private readonly responseDash: boolean;
  /** Set once the scan passed a request line's protocol token: a `-` or `"-"` after it is a variable. */
  private afterRequest = false;
  private readonly user: RegExp[];
  /** Hash of each token as masked (a collapsed run hashes as one `<*>`). */
  private readonly tokenHash: Int32Array;

  constructor(
    private readonly maxTokens: number,
    disable: readonly string[] = [],
    add: readonly MaskRule[] = [],
  ) {
    const unknown = disable.filter((d) => !(BUILTIN_MASKS as readonly string[]).includes(d));
    if (unknown.length > 0) throw new Error(`unknown built-in mask(s): ${unknown.join(', ')}`);
    this.digits = !disable.includes('digits');
    this.units = !disable.includes('units');
    this.hex = !disable.includes('hex');
    this.path = !disable.includes('path');
    this.url = !disable.includes('url');
    this.email = !disable.includes('email');
    this.dates = !disable.includes('dates');
    this.empty = !disable.includes('empty');
    this.keyValues = !disable.includes('key-values');
    this.drivePath = !disable.includes('drive-path');
    this.openKey = !disable.includes('open-key');
    this.rootPath = !disable.includes('root-path');
    this.calls = !disable.includes('calls');
    this.frames = !disable.includes('frames');
    this.quoted = !disable.includes('quoted-values');
    this.requestLine = !disable.includes('request-line');
    this.responseDash = this.requestLine && !disable.includes('response-dash');
    this.user = add.map(compileMaskRule);
    // one more than the cap: a line-ending `key:` gets an empty variable after it
    this.start = new Int32Array(maxTokens + 1);
    this.end = new Int32Array(maxTokens + 1);
    this.kind = new Uint8Array(maxTokens + 1);
    this.keyLen = new Int32Array(maxTokens + 1);
    this.loose = new Uint8Array(maxTokens + 1);
    this.tokenHash = new Int32Array(maxTokens + 1);
  }

  /** Tokens after collapsing (0: no token), or -1 when the text looks binary. */
  scan(text: string): number {
    const len = text.length;
    const { start, end, kind, keyLen, loose, tokenHash } = this;
    let bad = 0;
    let raw = 0;
    let n = 0;
    let h = FNV_OFFSET;
    /** NEAR or SLOT tokens kept: their kinds are settled after the scan (most lines have none). */
    let pending = 0;
    let i = 0;
    let vtff = false;
    /** Spaces inside quoted values: each splits one more token for detect-stage's count. */
    let inner = 0;
    this.afterRequest = false;
    for (;;) {
      let c = 0;
      // whitespace run; 11 and 12 split tokens but count as binary (as looksBinary does)
      while (i < len && isSpace((c = text.charCodeAt(i)))) {
        if (c === 11 || c === 12) {
          vtff = true;
          if (i < BINARY_WINDOW) bad++;
        }
        i++;
      }
      if (i >= len || raw >= this.maxTokens) break;
      const s = i;
      let digitAt = -1;
      let cut = -1;
      let dotOrSlashFirst = false;
      let hasDot = false;
      let atAt = -1;
      let innerSlash = false;
      let hasUrl = false;
      let letterHex = true;
      let eq = -1;
      let quoteEnd = -1;
      for (; i < len; i++) {
        c = text.charCodeAt(i);
        if (c <= 64) {
          if (isSpace(c)) {
            // only single spaces lie inside a quoted value (quotedValueEnd)
            if (i > quoteEnd) break;
            inner++;
          }
          letterHex = false;
          if (c >= 48 && c <= 57) {
            if (digitAt < 0) digitAt = i;
          } else if (c === 46) {
            hasDot = true;
            if (digitAt < 0) dotOrSlashFirst = true;
          } else if (c === 47) {
            if (i > s) innerSlash = true;
            if (digitAt < 0) dotOrSlashFirst = true;
          } else if (c === 58 || c === 61) {
            if (digitAt < 0) cut = i;
            if (c === 61 && eq < 0) eq = i;
            if (c === 58 && text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47) hasUrl = true;
          } else if (c === 34) {
            if (eq >= 0 && i === eq + 1 && this.quoted) quoteEnd = quotedValueEnd(text, i, len);
          } else if (c === 64) {
            if (atAt < 0) atAt = i;
          } else if (c < 32 && i < BINARY_WINDOW) bad++;
        } else {
          if (((c | 32) - 97) >>> 0 > 5) letterHex = false;
          if (c === 0xfffd && i < BINARY_WINDOW) bad++;
        }
      }
      raw++;
      const e = i;
      let k: number;
      let keyEnd = cut;
      if (
        this.keyValues &&
        eq > s &&
        !hasDotOrSlash(text, s, eq) &&
        !isBlankValueAt(text, eq + 1, e) &&
        !isStateValueAt(text, eq + 1, e)
      ) {
        k = KEYED;
        keyEnd = eq;
      } else if (
        digitAt >= 0 &&
        this.digits &&
        text.charCodeAt(e - 1) !== 41 &&
        text.charCodeAt(s) !== 40 &&
        text.charCodeAt(s) !== 91 &&
        (!innerSlash || text.charCodeAt(s) !== 72)
      )
        // the common digit token, settled here: only a `...)` call, a `(`/`[` slot or an `HTTP/1.1`
        // needs digitToken
        k = !dotOrSlashFirst && cut > s ? KEYED : WILD;
      else k = this.classify(text, s, e, digitAt, cut, dotOrSlashFirst, hasDot, atAt, innerSlash, hasUrl, letterHex);
      if (k === NEAR && n > 0 && kind[n - 1] === WILD) k = WILD;
      else if (
        k === CONST &&
        e - s === 2 &&
        this.dates &&
        n > 0 &&
        kind[n - 1] === WILD &&
        text.charCodeAt(s) === 97 &&
        text.charCodeAt(s + 1) === 116 &&
        endsInYearAt(text, start[n - 1], end[n - 1])
      )
        // `2006 at 9:16`: part of the date
        k = WILD;
      if (k === WILD) {
        // date names just before this variable join it; then it joins a variable before them
        let j = n;
        while (j > 0 && kind[j - 1] === NEAR) j--;
        let from = s;
        let gapsLoose = false;
        if (j < n) {
          from = start[j];
          for (let q = j; q < n; q++) {
            const next = q + 1 < n ? start[q + 1] : s;
            if (next !== end[q] + 1 || text.charCodeAt(end[q]) !== 32) gapsLoose = true;
          }
          pending -= n - j;
          n = j;
          h = FNV_OFFSET;
          for (let q = 0; q < n; q++) h = Math.imul(h ^ tokenHash[q], FNV_PRIME) ^ q;
        }
        if (n > 0 && kind[n - 1] === WILD) {
          // adjacent variables are one wildcard; their raw texts become one param joined by one space
          if (from !== end[n - 1] + 1 || text.charCodeAt(from - 1) !== 32 || gapsLoose) loose[n - 1] = 1;
          end[n - 1] = e;
          continue;
        }
        start[n] = from;
        end[n] = e;
        kind[n] = WILD;
        loose[n] = gapsLoose ? 1 : 0;
        tokenHash[n] = WILD_HASH;
        h = Math.imul(h ^ WILD_HASH, FNV_PRIME) ^ n;
        n++;
        continue;
      }
      // the response's fields follow a request line's protocol token (token-shapes.ts isDashAt)
      if (innerSlash && k === CONST && this.responseDash && !this.afterRequest && text.charCodeAt(s) === 72)
        this.afterRequest = isHttpVersionAt(text, s, e);
      let tk: number;
      if (k === KEYED) {
        // the key through its `=`/`:`, then the `<*>` it is kept before
        tk = fnvRange(text, s, keyEnd + 1);
        for (let j = 0; j < 3; j++) tk = Math.imul(tk ^ W.charCodeAt(j), FNV_PRIME);
        keyLen[n] = keyEnd - s + 1;
      } else tk = k === SLOT ? WILD_HASH : fnvRange(text, s, e);
      if (k >= NEAR) pending++;
      tokenHash[n] = tk;
      h = Math.imul(h ^ tk, FNV_PRIME) ^ n;
      start[n] = s;
      end[n] = e;
      kind[n] = k;
      loose[n] = 0;
      n++;
    }
    const whole = i >= len;
    // every raw token seen and split only where tokenCount splits too: the same count
    this.spaceTokens = whole && !vtff ? raw + inner : -1;
    // the token cap may stop the scan before the binary window is covered
    const window = Math.min(len, BINARY_WINDOW);
    for (; i < window; i++) {
      const c = text.charCodeAt(i);
      if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 32) || c === 0xfffd) bad++;
    }
    if (bad * 10 > window) {
      this.spaceTokens = -1;
      return -1;
    }
    if (pending > 0)
      for (let q = 0; q < n; q++) {
        if (kind[q] === NEAR) kind[q] = CONST;
        else if (kind[q] === SLOT) kind[q] = WILD;
      }
    if (this.openKey && whole && n > 0 && kind[n - 1] === CONST && isOpenKeyAt(text, start[n - 1], end[n - 1])) {
      // `key:` ends the line: its value is empty, the same slot as in `key: value`
      start[n] = len;
      end[n] = len;
      kind[n] = WILD;
      loose[n] = 0;
      h = Math.imul(h ^ WILD_HASH, FNV_PRIME) ^ n;
      n++;
    }
    this.hash = h;
    return n;
  }

  /**
   * The rules of createMasker().mask in the same order (key-values, checked first, aside), on flags
   * gathered during the scan; NEAR for a date name that is a variable only beside one.
   */
  private classify(
    text: string,
    s: number,
    e: number,
    digitAt: number,
    cut: number,
    dotOrSlashFirst: boolean,
    hasDot: boolean,
    atAt: number,
    innerSlash: boolean,
    hasUrl: boolean,
    letterHex: boolean,
  ): number {
    const len = e - s;
    if (this.digits && digitAt >= 0) return this.digitToken(text, s, e, cut, dotOrSlashFirst);
    if (this.units && len >= 2 && len <= 4 && isUnitAt(text, s, len)) return WILD;
    if (this.url && hasUrl) return WILD;
    if (this.path && text.charCodeAt(s) === 47 && innerSlash) return WILD;
    if (this.email && atAt > s && hasDot) return WILD;
    if (this.hex && len >= 8 && letterHex) return WILD;
    const first = text.charCodeAt(s);
    const second = text.charCodeAt(s + 1);
    if (((first | 32) - 97) >>> 0 < 26 && second !== 58 && this.user.length === 0 && !hasDot) {
      // a word starting with a letter and without a `.` (no frame): of wordToken's rules only a date name can claim it, and most
      // words fail the date names' (length, first letters) hint, so the call is skipped
      if (!this.dates || len < 2 || len > 11) return CONST;
      const last = text.charCodeAt(e - 1);
      const trail = last === 44 || last === 46 || last === 58 || last === 59 || last === 41 || last === 93;
      if (DATE_HINT[dateKey(trail ? len - 1 : len, first, second) & 0x3fff] === 0) return CONST;
    }
    return this.wordToken(text, s, e);
  }

  /** A token holding a digit: a variable (maybe keeping its key or its place), or a code call. */
  private digitToken(text: string, s: number, e: number, cut: number, dotOrSlashFirst: boolean): number {
    // cheap first-char and last-char guards before each rule: most tokens fail them
    if (this.calls && text.charCodeAt(e - 1) === 41 && isCallAt(text, s, e)) return this.wordToken(text, s, e);
    // a request line's protocol (`HTTP/1.1"`) names the protocol: the word rules decide it, as mask() does
    if (this.requestLine && text.charCodeAt(s) === 72 && isHttpVersionAt(text, s, e)) return this.wordToken(text, s, e);
    if (!dotOrSlashFirst && cut > s) return KEYED;
    const first = text.charCodeAt(s);
    return this.empty && (first === 40 || first === 91) && isBracketedAt(text, s, e) ? SLOT : WILD;
  }

  /**
   * The rest of the rules for a token the common ones left (a root path is never claimed by the
   * email or hex rule before it, so checking it here gives mask()'s answer).
   */
  private wordToken(text: string, s: number, e: number): number {
    const len = e - s;
    const first = text.charCodeAt(s);
    if (this.rootPath && first === 47 && isRootPathAt(text, s, e)) return WILD;
    const d = this.dates && len >= 2 && len <= 11 ? dateWordAt(text, s, e) : NOT_DATE;
    if (this.dates && d === DATE_WORD) return WILD;
    if (this.empty && len <= 3 && isEmptySlotAt(text, s, e)) return SLOT;
    if (
      this.drivePath &&
      len >= 3 &&
      (first === 92 || first === 91 || first < 65 || text.charCodeAt(s + 1) === 58) &&
      isDrivePathAt(text, s, e)
    )
      return WILD;
    if (this.frames && isFrameAt(text, s, e)) return WILD;
    if (this.requestLine && first === 34 && isRequestMethodAt(text, s, e)) return WILD;
    if (this.afterRequest && this.responseDash && len <= 3 && isDashAt(text, s, e)) return WILD;
    if (this.user.length > 0) {
      const t = text.slice(s, e);
      for (const re of this.user) if (re.test(t)) return WILD;
    }
    // a literal `<*>` in the log equals the wildcard on the general path (and collapses like one)
    if (e - s === 3 && text.startsWith(W, s)) return WILD;
    if (this.dates && d === NEAR_DATE) return NEAR;
    return CONST;
  }

  /** Raw text of token i as the general path has it (a collapsed run joined by single spaces). */
  rawToken(text: string, i: number): string {
    const t = text.slice(this.start[i], this.end[i]);
    return this.loose[i] === 1 ? t.split(/[ \t\n\r\v\f]+/).join(' ') : t;
  }

  /** Masked text of token i (what createMasker().mask gives, `<*>` for collapsed runs). */
  maskedToken(text: string, i: number): string {
    const k = this.kind[i];
    if (k === WILD) return W;
    if (k === KEYED) return text.slice(this.start[i], this.start[i] + this.keyLen[i]) + W;
    return text.slice(this.start[i], this.end[i]);
  }

  /** Token i masks to exactly `m` (compared in place, no string built). */
  masksTo(text: string, i: number, m: string): boolean {
    const k = this.kind[i];
    if (k === WILD) return m === W;
    const s = this.start[i];
    if (k === CONST) return m.length === this.end[i] - s && text.startsWith(m, s);
    const kl = this.keyLen[i];
    if (m.length !== kl + 3 || !m.endsWith(W)) return false;
    for (let j = 0; j < kl; j++) if (m.charCodeAt(j) !== text.charCodeAt(s + j)) return false;
    return true;
  }
}
