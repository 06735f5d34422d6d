/**
 * A line that is one verb and then free text ending a sentence: `Started OpenBSD Secure Shell server.`,
 * `Stopping A high performance web server...`. The words after the verb are a name (a unit's description,
 * a job's title) written out in prose, so the same event comes with any number of words in that slot, and
 * no token-by-token match can tell the name from the event. Such a line is the verb and one variable.
 *
 * Narrow on purpose: the verb is a capitalised word ending in `ed` or `ing` (a report of something
 * done or under way, not a noun like `Connection`), every token is a constant made of letters (no
 * variable, number, path or `key=value`: those lines are left to the similarity match), the last one
 * ends in `.`, and there are at least three tokens, so a two-word message keeps its words.
 */
export function isVerbThenFreeText(masked: readonly string[], wildcard: string): boolean {
  const n = masked.length;
  if (n < 3 || !isReportVerb(masked[0])) return false;
  for (let i = 1; i < n; i++) {
    const t = masked[i];
    if (t === wildcard || !isWord(t, i === n - 1)) return false;
  }
  return true;
}

function isReportVerb(t: string): boolean {
  const n = t.length;
  if (n < 4) return false;
  const c0 = t.charCodeAt(0);
  if (c0 < 65 || c0 > 90) return false;
  for (let i = 1; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return t.endsWith('ed') || t.endsWith('ing');
}

/** Letters, with `-` or `'` inside; the last word must end in one or more `.`. */
function isWord(t: string, last: boolean): boolean {
  let end = t.length;
  if (last) {
    while (end > 0 && t.charCodeAt(end - 1) === 46) end--;
    if (end === t.length) return false;
  }
  if (end === 0) return false;
  for (let i = 0; i < end; i++) {
    const c = t.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!letter && !((c === 45 || c === 39) && i > 0 && i < end - 1)) return false;
  }
  return true;
}
