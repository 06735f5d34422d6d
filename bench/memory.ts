/**
 * `npm run bench:memory`: the processor's resident memory once it holds 10,000 templates and
 * 100,000 open sessions (the bound: RSS under 500 MB). The service runs as `npm start`
 * would (template mining, Isolation Forest, the LSTM on sessions, anomalies to SQLite) in its own
 * process. It learns on real HDFS lines (block sessions), then a synthetic stream brings 10,000
 * new templates over 100,000 new sessions (two records each) through it over OTLP/gRPC.
 * Writes bench/results/memory.json and the "memory" section of docs/benchmarks.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { datasetsDir, markdownTable, updateDocSection, writeResults, type BenchCase } from './lib/report';
import { updateReadmeTable } from './lib/readme-table';
import {
  ask,
  BATCH,
  child,
  generate,
  lowerPriority,
  MEASURED_FIRST_PASS,
  nextMessage,
  prime,
  PROCESSOR_ENV,
  PROCESSOR_NODE_ARGS,
  stop,
  TRAINED_BY,
  type Usage,
} from './throughput/procs';

const TEMPLATES = Number(process.env.BENCH_TEMPLATES ?? 10_000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100_000);
const RECORDS_PER_SESSION = 2;
const MODE = 'mining+lstm';

/** Letters outside a–f, so the masking never takes a word for a hex id. */
const LETTERS = 'ghijklmnopqrstuvwxyz';

/** Word `i` of template `k`: five letters from a hash of (k, i); templates share almost no words. */
function word(k: number, i: number): string {
  let h = Math.imul(k + 1, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b);
  let w = '';
  for (let j = 0; j < 5; j++) {
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    w += LETTERS[(h >>> 0) % LETTERS.length];
  }
  return w;
}

/** Real HDFS lines to learn on, then TEMPLATES × SESSIONS synthetic lines: returns the file. */
function writeStream(hdfsFile: string): { file: string; lines: number } {
  const hdfs = readFileSync(hdfsFile, 'utf8').split('\n').filter(Boolean);
  const out = [...hdfs];
  for (let i = 0; i < SESSIONS * RECORDS_PER_SESSION; i++) {
    const k = i % TEMPLATES;
    const session = 900_000_000 + (i % SESSIONS);
    out.push(`${[0, 1, 2, 3, 4, 5].map((w) => word(k, w)).join(' ')} blk_${session} took ${i % 997} ms`);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'anomalog-memory-')), 'stream.log');
  writeFileSync(file, out.join('\n') + '\n');
  return { file, lines: out.length };
}

async function main(): Promise<void> {
  const { file, lines } = writeStream(join(datasetsDir(), 'hdfs', 'HDFS_20000.log'));
  const sink = child('sink.ts');
  lowerPriority(sink);
  const sinkAddress = (await nextMessage<{ address: string }>(sink, 'ready')).address;
  const proc = child('processor.ts', [sinkAddress, MODE], PROCESSOR_NODE_ARGS, PROCESSOR_ENV);
  const target = (await nextMessage<{ address: string }>(proc, 'ready')).address;
  await prime(proc, target, TRAINED_BY[MODE], file);
  // Marks the pass's start: with BENCH_PROFILE_DIR the processor profiles from here to the usage below.
  await ask<Usage>(proc, 'usage');
  const t0 = Date.now();
  const requests = Math.floor(lines / BATCH);
  const sent = await generate({
    target,
    datasetFile: file,
    batchSize: BATCH,
    warmupMs: 0,
    durationMs: 30 * 60_000,
    concurrency: 4,
    requests,
    // after the priming's passes in record time, or the sequence model would take every session
    // of the pass for one idle since long ago and close it at once
    firstPass: MEASURED_FIRST_PASS,
  });
  const seconds = (Date.now() - t0) / 1000;
  const usage = await ask<Usage>(proc, 'usage');
  await stop(proc);
  await stop(sink);
  const c: BenchCase = {
    mode: MODE,
    dataset: `HDFS_20000 + ${TEMPLATES} templates x ${SESSIONS} sessions (synthetic)`,
    records: sent.records,
    requests_failed: sent.failed,
    records_per_s: Math.round(sent.records / seconds),
    templates: usage.templates ?? null,
    sessions_open: usage.sessionsOpen ?? null,
    rss_mb: Math.round(usage.rss / 1024 / 1024),
    heap_used_mb: Math.round(usage.heapUsed / 1024 / 1024),
    heap_total_mb: Math.round(usage.heapTotal / 1024 / 1024),
    external_mb: Math.round(usage.external / 1024 / 1024),
    max_rss_mb: Math.round(usage.maxRssKb / 1024),
  };
  console.log(JSON.stringify(c));
  rmSync(dirname(file), { recursive: true, force: true });
  writeResults('memory', [c]);
  updateDocSection(
    'memory',
    [
      '## Memory (`npm run bench:memory`)',
      '',
      'The service as `npm start` runs it (template mining, Isolation Forest, the LSTM on block sessions, anomalies to',
      'SQLite) in its own process learns on `HDFS_20000.log`, then one pass of a synthetic stream brings',
      `${TEMPLATES.toLocaleString('en-US')} new templates over ${SESSIONS.toLocaleString('en-US')} new sessions (${RECORDS_PER_SESSION} records each) through it over`,
      'OTLP/gRPC. `rss_mb` is the resident set after the pass, `max_rss_mb` the peak (both include the training',
      "worker thread and SQLite's cache); `templates` is what the miner holds, `sessions_open` what the sequence model holds",
      '(bounded by `detection.maxOpenSessions`, 100,000). The goal: under 500 MB. The processor runs with the heap cap',
      '`npm start` sets (`--max-old-space-size`, `ANOMALOG_MAX_HEAP_MB`, default 384): without it V8 lets its heap grow far past the live set. `heap_used_mb` / `heap_total_mb` are the V8',
      'heap in use and committed, `external_mb` memory outside it (buffers, wasm). Every synthetic record is a new template',
      "and so an anomaly: `records_per_s` is an anomaly storm's rate (each stored with its context).",
      '',
      markdownTable(
        [c],
        [
          'records',
          'templates',
          'sessions_open',
          'rss_mb',
          'max_rss_mb',
          'heap_used_mb',
          'heap_total_mb',
          'records_per_s',
        ],
      ),
    ].join('\n'),
  );
  updateReadmeTable();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
