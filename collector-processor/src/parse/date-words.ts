/** Date words: month and weekday names, AM/PM and zones, and the year a date ends in. */
import { isLetter } from './token-shapes';

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
