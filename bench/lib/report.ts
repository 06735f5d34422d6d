import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Shared output of every `npm run bench:*`: results as JSON under bench/results/ (one object per
 * measured case, snake_case figures with their unit in the name) and a Markdown table spliced into
 * docs/benchmarks.md between `<!-- NAME:start -->` and `<!-- NAME:end -->`; README's summary table is
 * rendered from the results files (readme-table.ts).
 */
const ROOT = resolve(__dirname, '..', '..');
export const RESULTS_DIR = join(ROOT, 'bench', 'results');

export type BenchCase = Record<string, string | number | boolean | null>;

/** Where the labeled datasets live: `--datasets DIR`, `ANOMALOG_DATASETS`, or ../shared/datasets. */
export function datasetsDir(argv: readonly string[] = process.argv): string {
  const i = argv.indexOf('--datasets');
  if (i >= 0 && argv[i + 1]) return resolve(argv[i + 1]);
  return resolve(process.env.ANOMALOG_DATASETS ?? join(ROOT, '..', 'shared', 'datasets'));
}

export function writeResults(name: string, cases: BenchCase[]): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify(cases, null, 2) + '\n');
  return file;
}

/** Render cases as a Markdown table over the given columns (numbers rounded for reading). */
export function markdownTable(cases: BenchCase[], columns: string[]): string {
  const fmt = (v: unknown): string =>
    typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toPrecision(4)) : String(v ?? '');
  const head = `| ${columns.join(' | ')} |\n| ${columns.map(() => '---').join(' | ')} |`;
  const rows = cases.map((c) => `| ${columns.map((k) => fmt(c[k])).join(' | ')} |`);
  return [head, ...rows].join('\n');
}

/** Replace (or append) the section NAME of docs/benchmarks.md with `body`. */
export function updateDocSection(name: string, body: string): void {
  updateSection(join('docs', 'benchmarks.md'), name, body);
}

/** Replace (or append) the section between `<!-- NAME:start -->` and `<!-- NAME:end -->` of FILE (from the repo root). */
export function updateSection(file: string, name: string, body: string): void {
  const path = join(ROOT, file);
  mkdirSync(dirname(path), { recursive: true });
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  const next =
    from >= 0 && to > from ? doc.slice(0, from) + block + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}
