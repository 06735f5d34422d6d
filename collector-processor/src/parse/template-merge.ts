/**
 * How a masked line meets a template (parse/miner.ts): the tokens that route and match it, the merge
 * that turns differing positions into wildcards, and the one case where a line joins a template of
 * another leaf. Pure functions over token arrays.
 */

/** A local copy: read in every loop here (an imported binding can cost a getter call). */
const WILDCARD = '<*>';

/** Constant (non-wildcard) tokens of a masked line. */
export function countConstants(masked: readonly string[]): number {
  let n = 0;
  for (const t of masked) if (t !== WILDCARD) n++;
  return n;
}

/** The masked line holds a constant token. */
export function hasConstant(masked: readonly string[]): boolean {
  for (const t of masked) if (t !== WILDCARD) return true;
  return false;
}

/** (service, constant tokens in order): lines of one event that differ in how many variables they hold share it. */
export function skeletonKey(service: string, tokens: string[]): string {
  let key = service;
  for (const t of tokens) if (t !== WILDCARD) key += '\u0000' + t;
  return key;
}

/**
 * The template with differing positions turned into wildcards, as a NEW array (the template cache
 * tells a changed template by its array), or undefined when nothing changed.
 */
export function mergeInto(template: string[], masked: string[]): string[] | undefined {
  let merged: string[] | undefined;
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== masked[i] && template[i] !== WILDCARD) {
      merged ??= template.slice();
      merged[i] = WILDCARD;
    }
  }
  return merged;
}

/**
 * Whether a line may join a template of another leaf: they differ only among the first `head` tokens
 * (the ones Drain routes by), in at most one position, where both tokens have the same punctuation
 * around their letters (`nginx.service:` / `cron.service:`, `(alice)` / `(bob)`) and the line has a
 * constant after the head, which the template holds. Two plain words (`Acquiring` / `Releasing`) are
 * more often two events than one variable, so they stay apart, except right after `user`, where the
 * word names an account (`user alice logged in` / `user bob logged in`).
 */
export function differsOnlyInNamedHead(template: readonly string[], masked: readonly string[], head: number): boolean {
  let diff = -1;
  let tail = 0;
  for (let i = 0; i < masked.length; i++) {
    const m = masked[i];
    const t = template[i];
    if (i >= head) {
      if (m === WILDCARD) continue;
      if (t !== m && t !== WILDCARD) return false;
      tail++;
    } else if (t !== m) {
      if (diff >= 0) return false;
      diff = i;
    }
  }
  if (tail === 0) return false;
  if (diff < 0) return true;
  // a head this rule (or the masks) already made a variable takes any token in such a frame; a line
  // whose head the masks made a variable does not take a template's framed head (LOSO: it merged events)
  const t = template[diff];
  const m = masked[diff];
  if (m === WILDCARD) return false;
  if (diff > 0 && isUserNoun(masked[diff - 1])) return true;
  return t === WILDCARD ? samePunctuation(m, m) : samePunctuation(t, m);
}

/** `user` / `User`: the word after it names an account (`user alice logged in`), whatever it is. */
function isUserNoun(t: string): boolean {
  return t === 'user' || t === 'User' || t === 'USER';
}

/** The same non-empty sequence of non-alphanumeric ASCII chars in both tokens (letters and digits skipped). */
function samePunctuation(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  let marks = 0;
  for (;;) {
    while (i < a.length && isWordChar(a.charCodeAt(i))) i++;
    while (j < b.length && isWordChar(b.charCodeAt(j))) j++;
    if (i >= a.length || j >= b.length) return i >= a.length && j >= b.length && marks > 0;
    const c = a.charCodeAt(i);
    if (c !== b.charCodeAt(j)) return false;
    if (c === 46 || c === 40 || c === 41 || c === 91 || c === 93 || c === 34 || c === 39) marks++;
    i++;
    j++;
  }
}

function isWordChar(c: number): boolean {
  return ((c | 32) - 97) >>> 0 < 26 || (c >= 48 && c <= 57) || c === 95 || c === 45 || c >= 128;
}
