/**
 * `anomalog score FILE`: batch scoring through the stream's own chain (createAnnotationChain: parse → detect → attributes). Pass 1
 * learns on the first `--learn` lines (the service's learning phase, then training); pass 2 scores
 * every line. Writes annotated JSON lines, per-session verdicts beside them (with sessions) and a
 * summary (top anomalies, counts by template, flagged sessions).
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AnomalogConfig } from '@anomalog/shared';
import pino from 'pino';
import { batchAnnotations, newBatch, type LogBatch } from '../chain/stage';
import { loadConfig } from '../config/load';
import { createAnnotationChain, type AnnotationChain } from '../chain/create';
import { createStore } from '../store/create';
import { Progress } from './progress';
import { readBatches, type SourceOptions } from './line-source';
import { Summary, type ScoredLine } from './summary';
import { SessionVerdicts, type SessionVerdict } from './session-verdicts';

export const SCORE_USAGE = `Usage: anomalog score FILE [options]
  --format FMT        line format, e.g. '<Date> <Time> <Pid> <Level> <Component>: <Content>' (default: whole line)
  --json              FILE holds JSON lines (message/msg/log field, level, …)
  --service NAME      service name the lines belong to (default: the file name)
  --learn N           learn on the first N lines before scoring (default: detection.defaultModel.learning.records)
  --session-regex RE  group lines into sessions: the regex's first capture group, or its whole match
                      without one, is the session id (e.g. 'blk_-?\\d+'; RE2 syntax)
  --out FILE          annotated JSON lines (default: stdout)
  --sessions FILE     per-session verdicts as JSON lines: id, service, records, score, flagged, reason
                      (default: beside --out as NAME.sessions.jsonl; without --out, the flagged ones go
                      into the summary)
  --summary FILE      summary JSON (default: printed to stderr)
  --config FILE       YAML configuration (parser, detection.defaultModel)
  --help              print this and exit`;

interface ScoreOptions {
  file: string;
  source: SourceOptions;
  learn: number | undefined;
  sessionRegex: string | undefined;
  out: string | undefined;
  sessions: string | undefined;
  summary: string | undefined;
  config: string | undefined;
  help: boolean;
}

export function parseScoreArgs(argv: readonly string[]): ScoreOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      json: { type: 'boolean' },
      service: { type: 'string' },
      learn: { type: 'string' },
      'session-regex': { type: 'string' },
      out: { type: 'string' },
      sessions: { type: 'string' },
      summary: { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return { help: true } as ScoreOptions;
  if (positionals.length !== 1) throw new Error('give exactly one FILE to score');
  const file = positionals[0];
  const learn = values.learn === undefined ? undefined : Number(values.learn);
  if (learn !== undefined && !(Number.isInteger(learn) && learn >= 100))
    throw new Error(`--learn must be an integer ≥ 100 (got ${values.learn})`);
  return {
    file,
    source: { format: values.format, json: values.json, service: values.service ?? basename(file), batchSize: 1000 },
    learn,
    sessionRegex: values['session-regex'],
    out: values.out,
    sessions: values.sessions ?? (values.out ? sessionsBeside(values.out) : undefined),
    summary: values.summary,
    config: values.config,
    help: false,
  };
}

/** Returns the exit code: 0 done, 2 bad arguments or configuration, 1 failure. */
export async function scoreCommand(argv: readonly string[]): Promise<number> {
  let opts: ScoreOptions;
  let config: AnomalogConfig;
  try {
    opts = parseScoreArgs(argv);
    if (opts.help) {
      console.log(SCORE_USAGE);
      return 0;
    }
    statSync(opts.file);
    config = batchConfig(opts);
  } catch (err) {
    console.error(`anomalog score: ${(err as Error).message}\n\n${SCORE_USAGE}`);
    return 2;
  }
  const summary = await scoreFile(opts, config);
  const text = JSON.stringify(summary, null, 2);
  if (opts.summary) writeFileSync(opts.summary, text + '\n');
  else console.error(text);
  return 0;
}

function batchConfig(opts: ScoreOptions): AnomalogConfig {
  const argv = opts.config ? ['--config', opts.config] : [];
  const { config } = loadConfig({ argv, env: {} });
  const model = config.detection.defaultModel;
  if (opts.learn !== undefined) model.learning.records = opts.learn;
  model.learning.minutes = Number.MAX_SAFE_INTEGER; // a file has no wall-clock learning phase
  model.learning.retrainEveryMinutes = 0;
  if (opts.sessionRegex) model.sessionKey = { ...model.sessionKey, kind: 'regex', regex: opts.sessionRegex };
  return config;
}

export async function scoreFile(opts: ScoreOptions, config: AnomalogConfig) {
  const dataDir = mkdtempSync(join(tmpdir(), 'anomalog-score-'));
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const store = await createStore({ ...config.store, kind: 'sqlite', dataDir }, logger);
  try {
    const chain = await createAnnotationChain(
      {
        parser: config.parser,
        detection: {
          defaultModel: config.detection.defaultModel,
          maxServices: config.detection.maxServices,
          contextLines: 0,
        },
      },
      { logger, store },
    );
    const { manager, detect } = chain;
    if (!manager || !detect) throw new Error('score: the chain was built without its detect stage');
    const total = countLines(opts.file);
    const learn = Math.min(total, config.detection.defaultModel.learning.records);

    const learning = new Progress('learning', learn);
    let done = 0;
    for await (const b of readBatches(opts.file, { ...opts.source, limit: learn })) {
      await runChain(b.data, chain);
      learning.update((done += b.lines.length));
    }
    learning.done();
    await manager.idle();
    for (const s of manager.services()) if (s.activeVersion === undefined) manager.train(s.service);
    await manager.idle();

    const out: NodeJS.WritableStream = opts.out ? createWriteStream(opts.out) : process.stdout;
    const summary = new Summary();
    const sessions = new SessionVerdicts();
    const scoring = new Progress('scoring', total);
    done = 0;
    for await (const b of readBatches(opts.file, opts.source)) {
      const facts = await runChain(b.data, chain);
      const chunk: string[] = [];
      facts.forEach((f, i) => {
        const line: ScoredLine = {
          line: done + i + 1,
          service: f.service,
          message: f.message,
          templateId: f.templateId,
          template: f.template,
          sessionId: f.sessionId,
          score: f.score ?? null,
          isAnomaly: f.isAnomaly ?? false,
          detector: f.detector,
          reason: f.reason,
        };
        summary.add(line);
        sessions.add(line);
        chunk.push(JSON.stringify(line));
      });
      if (!out.write(chunk.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      scoring.update((done += b.lines.length));
    }
    scoring.done();
    if (out !== process.stdout) await new Promise<void>((r) => out.end(() => r()));
    await detect.flush();
    sessions.addSessionAnomalies(await storedAnomalies(store));
    const verdicts = sessions.list();
    if (opts.sessions) writeFileSync(opts.sessions, verdicts.map((v) => JSON.stringify(v) + '\n').join(''));
    return {
      ...summary.result({ file: opts.file, learnedOn: learn, services: manager.services() }),
      ...sessionSummary(verdicts, opts.sessions),
    };
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `scored.jsonl` → `scored.sessions.jsonl` (any other name gets the suffix appended). */
export function sessionsBeside(out: string): string {
  return out.replace(/(\.jsonl?)?$/, '.sessions.jsonl');
}

const TOP_SESSIONS = 20;

function sessionSummary(verdicts: readonly SessionVerdict[], file: string | undefined) {
  if (verdicts.length === 0) return {};
  const flagged = verdicts.filter((v) => v.flagged);
  return {
    sessions: verdicts.length,
    flaggedSessions: flagged.length,
    ...(file ? { sessionsFile: file } : {}),
    topSessions: flagged.slice(0, TOP_SESSIONS),
  };
}

/** Every anomaly the detect stage stored (pages of the store's largest page). */
async function storedAnomalies(store: Awaited<ReturnType<typeof createStore>>) {
  const all = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await store.queryAnomalies({ limit: 1000, offset });
    all.push(...page.items);
    if (page.items.length < 1000) return all;
  }
}

async function runChain(data: LogBatch['data'], chain: AnnotationChain) {
  const count = data.resourceLogs.reduce((n, rl) => n + rl.scopeLogs.reduce((m, sl) => m + sl.logRecords.length, 0), 0);
  const batch = newBatch(data, count, Date.now());
  await chain.process(batch);
  return batchAnnotations(batch);
}

function countLines(file: string): number {
  const buf = readFileSync(file);
  let n = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n++;
  return buf.length > 0 && buf[buf.length - 1] !== 10 ? n + 1 : n;
}
