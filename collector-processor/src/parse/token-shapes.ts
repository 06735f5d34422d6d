/**
 * Char-code predicates on a token in place, text[s, e), that the masks share: the one-pass scan
 * (scan.ts) calls them on the line, the per-token masker (masking.ts) on the token alone. None builds
 * a string.
 */

/** An ASCII letter. */
export function isLetter(c: number): boolean {
  return ((c | 32) - 97) >>> 0 < 26;
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
