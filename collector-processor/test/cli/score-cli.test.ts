import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreCommand, sessionsBeside } from '../../src/cli/score';
import { normalLines } from '../lifecycle/records';

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

  test('--help prints every option and exits 0', async () => {
    const printed: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((m: string) => void printed.push(m));
    expect(await scoreCommand(['--help'])).toBe(0);
    spy.mockRestore();
    const text = printed.join('\n');
    expect(text).toMatch(/^Usage: anomalog score FILE/);
    for (const o of [
      'format',
      'json',
      'service',
      'learn',
      'session-regex',
      'out',
      'sessions',
      'summary',
      'config',
      'help',
    ])
      expect(text).toMatch(new RegExp(`^  --${o}\\b`, 'm'));
  });

  test('with sessions, writes one verdict per session beside the lines: flagged by a record or the session', async () => {
    // 90 requests of 10 lines each, one a second; request 80 has an error no training line had
    const lines = normalLines(900).map((m, i) => {
      const t = new Date(Date.UTC(2026, 11, 1, 10) + i * 1000).toISOString().slice(0, 19).replace('T', ' ');
      return `${t} INFO web: req-${Math.floor(i / 10)} ${m}`;
    });
    lines[805] = lines[805].replace(
      /INFO web: (req-80) .*/,
      'ERROR web: $1 OutOfMemoryError in request handler thread 12',
    );
    const file = join(dir, 'app.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const out = join(dir, 'scored.jsonl');
    const summaryFile = join(dir, 'summary.json');
    // the session verdicts of the count-vector members; the LSTM (minutes of training here) has its own tests
    const config = join(dir, 'anomalog.yaml');
    writeFileSync(config, 'detection:\n  defaultModel:\n    detectors:\n      lstm:\n        enabled: false\n');
    const code = await scoreCommand([
      file,
      '--config',
      config,
      '--format',
      '<Date> <Time> <Level> <Component>: <Content>',
      '--learn',
      '500',
      '--session-regex',
      'req-\\d+',
      '--out',
      out,
      '--summary',
      summaryFile,
    ]);
    expect(code).toBe(0);
    expect(sessionsBeside(out)).toBe(join(dir, 'scored.sessions.jsonl'));
    const sessions = readFileSync(sessionsBeside(out), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(sessions).toHaveLength(90);
    for (const s of sessions) {
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining(['id', 'service', 'records', 'score', 'flagged', 'reason']),
      );
      expect(s.records).toBe(10);
      if (s.score !== null) expect([s.id, s.flagged]).toEqual([s.id, s.score >= 0.5]);
    }
    const oom = sessions.find((s) => s.id === 'req-80');
    expect(oom).toMatchObject({ flagged: true, line: 806 });
    expect(oom.reason).toMatch(/^unseen-template: unseen template/);
    expect(sessions[0].flagged).toBe(true); // flagged first
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary).toMatchObject({ sessions: 90, sessionsFile: sessionsBeside(out) });
    expect(summary.flaggedSessions).toBe(sessions.filter((s) => s.flagged).length);
    expect(summary.topSessions.map((s: { id: string }) => s.id)).toContain('req-80');
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
