/**
 * A template's text from its tokens. An optional variable between two constants (`1 bytes sent` and
 * `1 bytes (1.2 KB) sent` are one event, met by their shared constants) is written glued to them,
 * `bytes<*>sent`: the span between the two holds either a variable or only a space, which neither
 * `bytes sent` nor `bytes <*> sent` says.
 */
const WILDCARD = '<*>';

/**
 * The inner gaps where `line` and `template` (the same constants in the same order) differ in having
 * a variable: gap k lies between constant k-1 and constant k (k ≥ 1). Gaps before the first constant
 * or after the last are not counted: there nothing glues the variable to a neighbour.
 */
export function optionalGaps(template: readonly string[], line: readonly string[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  let k = 0;
  for (;;) {
    let wt = 0;
    let wl = 0;
    while (i < template.length && template[i] === WILDCARD) {
      i++;
      wt++;
    }
    while (j < line.length && line[j] === WILDCARD) {
      j++;
      wl++;
    }
    if (i >= template.length || j >= line.length) return out;
    if (k > 0 && (wt === 0) !== (wl === 0)) out.push(k);
    i++;
    j++;
    k++;
  }
}

/** Gaps of `add` not yet in `gaps`, as a new sorted array, or undefined when there is none. */
export function withGaps(gaps: readonly number[] | undefined, add: readonly number[]): number[] | undefined {
  const fresh = add.filter((g) => !gaps?.includes(g));
  if (fresh.length === 0) return undefined;
  return [...(gaps ?? []), ...fresh].sort((a, b) => a - b);
}

/**
 * The tokens joined by spaces, each optional gap written as `<*>` glued to the constants around it,
 * and what a template keeps (miner.ts keptValues) shown: `key=<*>` as `key=value`, a `<*>` whose run
 * always ends in the same name as `<*> name`.
 */
export function renderTemplate(
  tokens: readonly string[],
  gaps: readonly number[] | undefined,
  kept?: readonly (string | null)[],
): string {
  const shown = (t: string, i: number): string => {
    const v = kept?.[i];
    if (v == null) return t;
    if (t === WILDCARD) return `${WILDCARD} ${v}`;
    return t.endsWith('=' + WILDCARD) ? t.slice(0, -3) + v : t;
  };
  if (gaps === undefined || gaps.length === 0) return tokens.map(shown).join(' ');
  const out: string[] = [];
  /** Whether each entry of `out` is a variable (its shown text may carry a kept name). */
  const variable: boolean[] = [];
  let k = 0;
  tokens.forEach((t, i) => {
    if (t === WILDCARD) {
      out.push(shown(t, i));
      variable.push(true);
      return;
    }
    if (k > 0 && gaps.includes(k)) {
      while (variable[variable.length - 1]) {
        out.pop();
        variable.pop();
      }
      out[out.length - 1] += WILDCARD + shown(t, i);
    } else {
      out.push(shown(t, i));
      variable.push(false);
    }
    k++;
  });
  return out.join(' ');
}
