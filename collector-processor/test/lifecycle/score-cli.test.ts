import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreCommand } from '../../src/cli/score';
import { normalLines } from './records';

describe('anomalog score FILE', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'anomalog-score-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('learns on the first lines, scores every line through the stream stages, writes JSON lines and a summary', async () => {
    const lines = normalLines(800).map((m, i) => `2026-12-01 10:00:${String(i % 60).padStart(2, '0')} INFO web: ${m}`);
    lines.splice(700, 0, '2026-12-01 10:11:40 ERROR web: OutOfMemoryError in request handler thread 12');
    const file = join(dir, 'app.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const out = join(dir, 'scored.jsonl');
    const summaryFile = join(dir, 'summary.json');
    const code = await scoreCommand([
      file,
      '--format',
      '<Date> <Time> <Level> <Component>: <Content>',
      '--learn',
      '500',
      '--out',
      out,
      '--summary',
      summaryFile,
    ]);
    expect(code).toBe(0);
    const scored = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(scored).toHaveLength(801);
    expect(scored.map((s) => s.line)).toEqual(Array.from({ length: 801 }, (_, i) => i + 1));
    // one scale: flagged exactly at scores >= 0.5, for every detector
    for (const s of scored) if (s.score !== null) expect([s.line, s.isAnomaly]).toEqual([s.line, s.score >= 0.5]);
    const oom = scored[700];
    expect(oom).toMatchObject({ isAnomaly: true, detector: 'unseen-template', service: 'app.log' });
    expect(oom.message).toBe('OutOfMemoryError in request handler thread 12');
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary).toMatchObject({ lines: 801, learnedOn: 500 });
    expect(summary.models[0]).toMatchObject({ status: 'scoring', version: 1 });
    expect(summary.topAnomalies.map((a: { line: number }) => a.line)).toContain(701);
    expect(summary.anomalies).toBeLessThan(40);
    expect(summary.templates[0].count).toBeGreaterThan(300);
  });

  test('bad arguments: exit 2 with the reason and the usage', async () => {
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    expect(await scoreCommand([join(dir, 'missing.log')])).toBe(2);
    expect(await scoreCommand(['a', 'b'])).toBe(2);
    expect(await scoreCommand([join(dir, 'x'), '--learn', '5'])).toBe(2);
    spy.mockRestore();
    expect(errors[0]).toMatch(/ENOENT|no such file/);
    expect(errors[1]).toMatch(/exactly one FILE/);
    expect(errors[2]).toMatch(/--learn must be an integer/);
    expect(errors[0]).toMatch(/Usage: anomalog score/);
  });
});
