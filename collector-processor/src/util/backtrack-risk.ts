/**
 * Why a JavaScript regex could backtrack catastrophically, or undefined: a repeated group whose body
 * itself repeats or alternates (`(x+)+`, `(a|ab)*`, `(\w+\s?)*`), the shape behind exponential
 * matching time. A syntactic check, deliberately strict: such rules run on every token of every line
 * with V8's backtracking engine (fast for safe patterns), so a risky one is refused at start-up.
 */
export function backtrackRisk(pattern: string): string | undefined {
  // per open group: does its body repeat or alternate?
  const groups: boolean[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') {
      i = classEnd(pattern, i);
      continue;
    }
    if (c === '(') {
      groups.push(false);
      i++;
      continue;
    }
    if (c === '|' && groups.length > 0) groups[groups.length - 1] = true;
    if (c === '*' || c === '+' || (c === '{' && repeatsMany(pattern, i))) {
      if (groups.length > 0) groups[groups.length - 1] = true;
    }
    if (c === ')') {
      const inner = groups.pop() ?? false;
      const next = pattern[i + 1];
      const repeated = next === '*' || next === '+' || (next === '{' && repeatsMany(pattern, i + 1));
      if (inner && repeated) {
        return `a repeated group whose body repeats or alternates ("${groupText(pattern, i)}${next}") can take exponential time; rewrite it without the nesting`;
      }
      if (inner && groups.length > 0) groups[groups.length - 1] = true;
    }
    i++;
  }
  return undefined;
}

/** Index after the character class starting at `i`. */
function classEnd(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === '^') j++;
  if (p[j] === ']') j++;
  while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** `{n,}` or `{n,m}` with m > 1 at `i`. */
function repeatsMany(p: string, i: number): boolean {
  const m = /^\{(\d*)(,(\d*))?\}/.exec(p.slice(i, i + 24));
  if (!m) return false;
  if (m[2] === undefined) return Number(m[1]) > 1;
  return m[3] === '' || Number(m[3]) > 1;
}

/** The group ending at `close`, for the message. */
function groupText(p: string, close: number): string {
  let depth = 0;
  for (let j = close; j >= 0; j--) {
    if (p[j] === ')' && p[j - 1] !== '\\') depth++;
    if (p[j] === '(' && p[j - 1] !== '\\' && --depth === 0) return p.slice(j, close + 1);
  }
  return p.slice(0, close + 1);
}
