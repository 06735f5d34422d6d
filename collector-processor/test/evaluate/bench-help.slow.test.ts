import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Each case starts a bench script under tsx (it imports the whole service and TF.js): a child process.
jest.setTimeout(120_000);

const BENCH = join(__dirname, '..', '..', '..', 'bench');

/** The `--name` options a bench script reads (by its arg('name') helper or a bare flag check). */
function optionsRead(script: string): string[] {
  const source = readFileSync(join(BENCH, script), 'utf8');
  const names = new Set<string>();
  for (const m of source.matchAll(/arg\('([a-z-]+)'\)/g)) names.add(m[1]);
  for (const m of source.matchAll(/argv\.includes\('--([a-z-]+)'\)/g)) names.add(m[1]);
  // report.ts reads --datasets for the scripts that call it
  if (source.includes('datasetsDir()')) names.add('datasets');
  return [...names];
}

describe.each(['detect.ts', 'lstm.ts'])('bench/%s --help', (script) => {
  test('prints every option the script reads and exits 0', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(BENCH, script), '--help'], {
      encoding: 'utf8',
      cwd: join(BENCH, '..'),
    });
    expect(r.status).toBe(0);
    const read = optionsRead(script);
    // the source scan finds the options (not an empty list that passes vacuously)
    expect(read).toEqual(expect.arrayContaining(['help', 'datasets']));
    for (const o of read) expect(r.stdout).toMatch(new RegExp(`^\\s+--${o}\\b`, 'm'));
  });
});
