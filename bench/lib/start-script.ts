/**
 * How `npm start` runs the service, read from its script in collector-processor/package.json so the
 * benches run the processor the same way: the last command of the script is
 * `[NAME=value…] node FLAGS… ENTRY`, with `${NAME:-fallback}` substituted as the shell would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function startCommandWords(): string[] {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../collector-processor/package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return pkg.scripts.start
    .split('&&')
    .pop()!
    .replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, fallback: string) => process.env[name] ?? fallback)
    .trim()
    .split(/\s+/);
}

/** The node flags `npm start` gives the service (those before its entry file). */
export function startFlags(): string[] {
  const words = startCommandWords();
  const flags = words.slice(words.indexOf('node') + 1);
  return flags.slice(
    0,
    flags.findIndex((w) => !w.startsWith('-')),
  );
}

/** The environment `npm start` runs the service with: ours plus the script's own assignments. */
export function startEnv(): NodeJS.ProcessEnv {
  const words = startCommandWords();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const w of words.slice(0, words.indexOf('node'))) {
    const eq = w.indexOf('=');
    if (eq > 0) env[w.slice(0, eq)] = w.slice(eq + 1);
  }
  return env;
}
