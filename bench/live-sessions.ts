/**
 * `npm run bench:live-sessions`: the live path end to end on labelled raw logs. `HDFS_20000.log` goes
 * through the processor's parse and detect stages as `npm start` runs them (embedded SQLite, the
 * default model configuration with block sessions `blk_-?\d+`, record times from the lines), learning
 * on the first 8,000 records. Then, per block of the labels file: whether its session's count vector
 * was flagged when it closed (the session verdict, model/group-model.ts), and whether any of its
 * records was flagged (the record verdicts), over the blocks whose sessions were scored (sessions
 * under way when the model arrived are cut, not scored). The dataset README warns that 40 of the 43
 * anomalous blocks here look exactly like normal ones: this shows the false-alarm side, not recall.
 * Writes bench/results/live-sessions.json and the "live-sessions" section of docs/benchmarks.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ModelConfig, StoreConfig, validateWithDefaults } from '@anomalog/shared';
import {
  batchAnnotations,
  createAnnotationChain,
  logRecordOf,
  newBatch,
  SqliteStore,
  type LogBatch,
  type LogRecord,
} from '../collector-processor/src';
import { datasetsDir, markdownTable, updateDocSection, writeResults, type BenchCase } from './lib/report';
import { updateReadmeTable } from './lib/readme-table';
import { hdfsTimeMs } from './lib/chain-input';

const LEARN = 8000;
const BATCH = 500;
const BLOCK = /blk_-?\d+/g;

function record(line: string, timeMs: number): LogRecord {
  const t = BigInt(timeMs) * 1_000_000n;
  const severityNumber = / (WARN|ERROR) /.test(line) ? 13 : 9;
  return logRecordOf({ timeUnixNano: t, observedTimeUnixNano: t, severityNumber, body: { stringValue: line } });
}

function batch(records: LogRecord[]): LogBatch {
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'hdfs' } }], droppedAttributesCount: 0 };
  return newBatch(
    { resourceLogs: [{ resource, scopeLogs: [{ logRecords: records, schemaUrl: '' }], schemaUrl: '' }] },
    records.length,
    Date.now(),
  );
}

/** Precision, recall and false-positive rate of `flagged` against the labels, over `blocks`. */
function score(blocks: Set<string>, flagged: Set<string>, anomalous: Set<string>): Record<string, number> {
  let tp = 0;
  let fp = 0;
  for (const b of blocks) {
    if (!flagged.has(b)) continue;
    if (anomalous.has(b)) tp++;
    else fp++;
  }
  const positives = [...blocks].filter((b) => anomalous.has(b)).length;
  const negatives = blocks.size - positives;
  return {
    blocks: blocks.size,
    anomalous_blocks: positives,
    flagged: tp + fp,
    false_positives: fp,
    precision: tp + fp ? tp / (tp + fp) : 0,
    recall: positives ? tp / positives : 0,
    fpr: negatives ? fp / negatives : 0,
  };
}

async function main(): Promise<void> {
  const dir = join(datasetsDir(), 'hdfs');
  const lines = readFileSync(join(dir, 'HDFS_20000.log'), 'utf8').split('\n').filter(Boolean);
  const anomalous = new Set(
    readFileSync(join(dir, 'HDFS_20000.block_labels.csv'), 'utf8')
      .split('\n')
      .filter((l) => l.endsWith(',Anomaly'))
      .map((l) => l.split(',')[0]),
  );
  const logger = pino({ level: 'silent' });
  const dataDir = mkdtempSync(join(tmpdir(), 'anomalog-live-sessions-'));
  const sc = validateWithDefaults(StoreConfig, { dataDir });
  const mc = validateWithDefaults(ModelConfig, {
    sessionKey: { kind: 'regex', regex: 'blk_-?\\d+' },
    learning: { records: LEARN },
  });
  if (!sc.ok || !mc.ok) throw new Error('config');
  const store = new SqliteStore(sc.value, logger);
  await store.open();
  const chain = await createAnnotationChain(
    { detection: { defaultModel: mc.value, maxServices: 4, contextLines: 3 } },
    { logger, store },
  );
  const { manager, detect } = chain;
  if (!manager || !detect) throw new Error('the chain was built without its detect stage');

  const recordFlagged = new Set<string>();
  const scoredFrom = new Map<string, number>(); // block → records scored
  let lastMs = 0;
  for (let i = 0; i < lines.length; i += BATCH) {
    const chunk = lines.slice(i, i + BATCH);
    const b = batch(chunk.map((l, k) => record(l, (lastMs = hdfsTimeMs(l) + k))));
    await chain.process(b);
    batchAnnotations(b).forEach((f, k) => {
      if (f.unscored || !f.sessionId) return;
      scoredFrom.set(f.sessionId, (scoredFrom.get(f.sessionId) ?? 0) + 1);
      if (f.isAnomaly) for (const m of chunk[k].match(BLOCK) ?? []) recordFlagged.add(m);
    });
    if (i + BATCH === LEARN) await manager.idle(); // training done before the rest is scored
  }
  // A record a day later: every session still open closes (inactivity) and is scored.
  const closing = batch([record('081110 203518 1 INFO dfs.DataNode: end of replay blk_0', lastMs + 86_400_000)]);
  await chain.process(closing);
  await detect.flush();

  const model = manager.state('hdfs')?.model;
  const sessionAnomalies = (await store.queryAnomalies({ service: 'hdfs', limit: 1000 })).items.filter((a) =>
    a.detector.endsWith('/session'),
  );
  const sessionFlagged = new Set(sessionAnomalies.map((a) => a.sessionId!));
  // Blocks whose sessions were scored whole: opened after the model arrived (not cut).
  const before = new Set(lines.slice(0, LEARN).flatMap((l) => l.match(BLOCK) ?? []));
  const scored = new Set([...scoredFrom.keys()].filter((b) => !before.has(b) && b !== 'blk_0'));
  const base = { dataset: 'hdfs-20k-raw', learning_records: LEARN, sessions_scored: model?.groups?.scored ?? 0 };
  const cases: BenchCase[] = [
    { ...base, mode: 'session verdicts (count vectors)', ...score(scored, sessionFlagged, anomalous) },
    { ...base, mode: 'record verdicts (any record of the block)', ...score(scored, recordFlagged, anomalous) },
  ];
  for (const c of cases) console.log(JSON.stringify(c));
  await detect.close?.();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });

  writeResults('live-sessions', cases);
  updateDocSection(
    'live-sessions',
    [
      '## Live sessions (`npm run bench:live-sessions`)',
      '',
      "`HDFS_20000.log` through the processor's parse and detect stages (the default model configuration with block",
      `sessions, embedded SQLite, record times from the lines), learning on the first ${LEARN.toLocaleString('en-US')} records; then, over the blocks`,
      'first seen after the model arrived, whether the session verdict (its count vector when it closed) or any',
      "record verdict flagged them, against `HDFS_20000.block_labels.csv`. Most of this log's anomalous blocks look",
      'exactly like normal ones (datasets README): read it for the false alarms (`fpr`), not for recall.',
      '',
      markdownTable(cases, [
        'mode',
        'sessions_scored',
        'blocks',
        'anomalous_blocks',
        'flagged',
        'false_positives',
        'precision',
        'recall',
        'fpr',
      ]),
    ].join('\n'),
  );
  updateReadmeTable();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
