/**
 * `npm run bench:import-binding`: is binding imports once (`const { x } = module`, the hot modules'
 * workaround) still worth it in the production build? The OTLP codec (proto-reader.ts,
 * logs-decode.ts, logs-encode.ts) is built twice with scripts/build.mjs: as it is, and with those bindings turned
 * back into named imports; each build runs in its own process and decodes + encodes the same HDFS
 * requests of 512 records, the two taking turns. Writes bench/results/import-binding.json and the
 * "import-binding" section of docs/benchmarks.md.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetsDir, markdownTable, updateDocSection, writeResults, type BenchCase } from './lib/report';
import type { decodeLogsRequest, encodeLogsRequest, logRecordOf } from '../collector-processor/src';

const ROOT = join(__dirname, '..');
const PACKAGE = join(ROOT, 'collector-processor');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

/** The hot modules' bound-once lines replaced by named imports, file by file. */
const NAMED_IMPORTS: Record<string, [string, string][]> = {
  'otlp/proto-reader.ts': [
    ["import * as hash from '../util/hash';", "import { FNV_OFFSET, fnvMix } from '../util/hash';"],
    ['const { FNV_OFFSET, fnvMix } = hash;', ''],
  ],
  'otlp/logs-decode.ts': [
    ["import * as reader from './proto-reader';\n", ''],
    ["import { ProtoReader } from './proto-reader';", "import { ProtoReader, WIRE_VARINT } from './proto-reader';"],
    ["import * as tags from './proto-tags';", "import { tag, T_LEN1, T_LEN2, T_LEN3 } from './proto-tags';"],
    ['const { WIRE_VARINT } = reader;\n', ''],
    ['const { tag, T_LEN1, T_LEN2, T_LEN3 } = tags;\n', ''],
  ],
  'otlp/logs-encode.ts': [
    [
      "import * as reader from './proto-reader';",
      "import { WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './proto-reader';",
    ],
    ["import * as tags from './proto-tags';", "import { tag, T_LEN1, T_LEN2, T_LEN3 } from './proto-tags';"],
    ["import * as writer from './proto-writer';\n", ''],
    [
      "import { ProtoWriter, SizeCache } from './proto-writer';",
      "import { ProtoWriter, SizeCache, int64Size, utf8Length, varintSize } from './proto-writer';",
    ],
    ['const { WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } = reader;\n', ''],
    ['const { tag, T_LEN1, T_LEN2, T_LEN3 } = tags;\n', ''],
    ['const { int64Size, utf8Length, varintSize } = writer;\n', ''],
  ],
};

/** A copy of the package with named imports, built into its own dist/. */
function buildNamedImports(dir: string): string {
  cpSync(join(PACKAGE, 'src'), join(dir, 'collector-processor', 'src'), { recursive: true });
  cpSync(join(PACKAGE, 'scripts'), join(dir, 'collector-processor', 'scripts'), { recursive: true });
  cpSync(join(ROOT, 'shared'), join(dir, 'shared'), { recursive: true, filter: (s) => !s.includes('node_modules') });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  for (const [file, edits] of Object.entries(NAMED_IMPORTS)) {
    const path = join(dir, 'collector-processor', 'src', file);
    let text = readFileSync(path, 'utf8');
    for (const [from, to] of edits) {
      if (!text.includes(from)) throw new Error(`${file} no longer has: ${from.trim()}`);
      text = text.replace(from, to);
    }
    writeFileSync(path, text);
  }
  execFileSync(process.execPath, [join(dir, 'collector-processor', 'scripts', 'build.mjs')], { stdio: 'inherit' });
  return join(dir, 'collector-processor', 'dist');
}

/** One build in its own process: V8 shares builtins' feedback between module copies loaded side by side. */
function codecWorker(dist: string): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- the build is chosen at run time */
  const codec = {
    ...(require(join(dist, 'otlp', 'logs-decode.js')) as { decodeLogsRequest: typeof decodeLogsRequest }),
    ...(require(join(dist, 'otlp', 'logs-encode.js')) as { encodeLogsRequest: typeof encodeLogsRequest }),
  };
  const { logRecordOf: recordOf } = require(join(dist, 'otlp', 'log-record.js')) as {
    logRecordOf: typeof logRecordOf;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const lines = readFileSync(join(datasetsDir(), 'hdfs', 'HDFS_20000.log'), 'utf8')
    .split('\n')
    .filter(Boolean);
  const requests: Buffer[] = [];
  for (let i = 0; i + 512 <= lines.length; i += 512) {
    const logRecords = lines.slice(i, i + 512).map((text, k) =>
      recordOf({
        timeUnixNano: 1_700_000_000_000_000_000n + BigInt(k),
        severityNumber: 9,
        body: { stringValue: text },
        attributes: [{ key: 'log.file.name', value: { stringValue: 'HDFS.log' } }],
      }),
    );
    const resource = {
      attributes: [{ key: 'service.name', value: { stringValue: 'hdfs' } }],
      droppedAttributesCount: 0,
    };
    requests.push(
      codec.encodeLogsRequest({
        resourceLogs: [{ resource, schemaUrl: '', scopeLogs: [{ schemaUrl: '', logRecords }] }],
      }),
    );
  }
  // Decode every request (keeping the wire bytes, as the receive path does, or not) and encode it again.
  const pass = (keepWire: boolean): number => {
    const t0 = process.hrtime.bigint();
    for (const r of requests) codec.encodeLogsRequest(codec.decodeLogsRequest(r, { keepWire }).data);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  process.on('message', (m: { keepWire: boolean }) =>
    process.send?.({ ms: pass(m.keepWire), records: requests.length * 512 }),
  );
  process.send?.({ ready: true });
}

interface Worker {
  name: string;
  proc: ChildProcess;
  ms: number;
}

function ask<T>(proc: ChildProcess, message?: object): Promise<T> {
  return new Promise((resolve) => {
    proc.once('message', (m) => resolve(m as T));
    if (message) proc.send(message);
  });
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(PACKAGE, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const tmp = mkdtempSync(join(tmpdir(), 'anomalog-import-binding-'));
  const builds = { 'bound-once': join(PACKAGE, 'dist'), 'named-imports': buildNamedImports(tmp) };
  const workers: Worker[] = [];
  try {
    for (const [name, dist] of Object.entries(builds)) {
      const proc = fork(__filename, ['--worker', dist, ...process.argv.slice(2)], { execArgv: ['--import', 'tsx'] });
      workers.push({ name, proc, ms: 0 });
      await ask(proc);
    }
    const cases: BenchCase[] = [];
    for (const keepWire of [false, true]) {
      let records = 0;
      for (let w = 0; w < 3; w++) for (const v of workers) await ask(v.proc, { keepWire });
      for (const v of workers) v.ms = 0;
      // Alternating order, so drift in the machine's load falls on both.
      for (let round = 0; round < ROUNDS; round++)
        for (const v of round % 2 ? workers : [...workers].reverse()) {
          const r = await ask<{ ms: number; records: number }>(v.proc, { keepWire });
          v.ms += r.ms;
          records = r.records;
        }
      for (const v of workers)
        cases.push({
          case: keepWire ? 'decode keeping wire + encode' : 'decode + encode',
          build: 'dist (esbuild, CommonJS)',
          imports: v.name,
          ns_per_record: Math.round((v.ms * 1e6) / (ROUNDS * records)),
          ratio_to_bound_once: Math.round((v.ms / workers[0].ms) * 1000) / 1000,
        });
    }
    for (const c of cases) console.log(JSON.stringify(c));
    writeResults('import-binding', cases);
    updateDocSection(
      'import-binding',
      [
        '## Import binding in the build (`npm run bench:import-binding`)',
        '',
        'The hot modules bind what they import once (`const { x } = module`) because CommonJS turns every use of a',
        'named import into a getter call on the module object. The production build (esbuild, one CommonJS file per',
        'module in `dist/`) emits the same getters as tsx, so the codec is built both ways and each build decodes and',
        `encodes the same HDFS requests of 512 records in its own process, the two taking turns (${ROUNDS} rounds).`,
        '',
        markdownTable(cases, ['case', 'build', 'imports', 'ns_per_record', 'ratio_to_bound_once']),
      ].join('\n'),
    );
  } finally {
    for (const v of workers) v.proc.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const workerAt = process.argv.indexOf('--worker');
if (workerAt >= 0) codecWorker(process.argv[workerAt + 1]);
else
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
