/**
 * `npm run bench:import-binding`: is binding imports once (`const { x } = module`, the hot modules'
 * workaround) still worth it in the production build? The OTLP codec (proto-reader.ts,
 * logs-proto.ts) is built twice with scripts/build.mjs: as it is, and with those bindings turned
 * back into named imports; both trees are loaded in this process and decode + encode the same
 * HDFS requests of 512 records, alternating. Writes bench/results/import-binding.json and the
 * "import-binding" section of docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetsDir, markdownTable, updateDocSection, writeResults, type BenchCase } from './lib/report';
import type * as Codec from '../collector-processor/src/otlp/logs-proto';
import type * as Records from '../collector-processor/src/otlp/log-record';

const ROOT = join(__dirname, '..');
const PACKAGE = join(ROOT, 'collector-processor');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

/** The hot modules' bound-once lines replaced by named imports, file by file. */
const NAMED_IMPORTS: Record<string, [string, string][]> = {
  'otlp/proto-reader.ts': [
    ["import * as hash from '../util/hash';", "import { FNV_OFFSET, fnvMix } from '../util/hash';"],
    ['const { FNV_OFFSET, fnvMix } = hash;', ''],
  ],
  'otlp/logs-proto.ts': [
    ["import * as reader from './proto-reader';\n", ''],
    [
      "import { ProtoReader } from './proto-reader';",
      "import { ProtoReader, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './proto-reader';",
    ],
    ["import * as writer from './proto-writer';\n", ''],
    [
      "import { ProtoWriter, SizeCache } from './proto-writer';",
      "import { ProtoWriter, SizeCache, int64Size, utf8Length, varintSize } from './proto-writer';",
    ],
    ['const { WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } = reader;\n', ''],
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

interface Variant {
  name: string;
  codec: typeof Codec;
  requests: Buffer[];
  ms: number;
}

function load(name: string, dist: string, lines: string[]): Variant {
  /* eslint-disable @typescript-eslint/no-require-imports -- two builds of the same modules, chosen at run time */
  const codec = require(join(dist, 'otlp', 'logs-proto.js')) as typeof Codec;
  const { logRecordOf } = require(join(dist, 'otlp', 'log-record.js')) as typeof Records;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const requests: Buffer[] = [];
  for (let i = 0; i + 512 <= lines.length; i += 512) {
    const logRecords = lines.slice(i, i + 512).map((text, k) =>
      logRecordOf({
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
  return { name, codec, requests, ms: 0 };
}

/** Decode every request (as the receive path does, keeping the wire bytes) and encode it again. */
function pass(v: Variant, full: boolean): number {
  const t0 = process.hrtime.bigint();
  for (const r of v.requests) {
    const { data } = v.codec.decodeLogsRequest(r, { keepWire: !full });
    v.codec.encodeLogsRequest(data);
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function main(): void {
  const lines = readFileSync(join(datasetsDir(), 'hdfs', 'HDFS_20000.log'), 'utf8')
    .split('\n')
    .filter(Boolean);
  execFileSync(process.execPath, [join(PACKAGE, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const tmp = mkdtempSync(join(tmpdir(), 'anomalog-import-binding-'));
  try {
    const cases: BenchCase[] = [];
    const variants = [
      load('bound-once', join(PACKAGE, 'dist'), lines),
      load('named-imports', buildNamedImports(tmp), lines),
    ];
    for (const full of [true, false]) {
      for (const v of variants) v.ms = 0;
      for (let w = 0; w < 3; w++) for (const v of variants) pass(v, full);
      // Alternating order, so drift in the machine's load falls on both.
      for (let round = 0; round < ROUNDS; round++)
        for (const v of round % 2 ? variants : [...variants].reverse()) v.ms += pass(v, full);
      const records = lines.length - (lines.length % 512);
      for (const v of variants)
        cases.push({
          case: full ? 'decode + encode' : 'decode keeping wire + encode',
          build: 'dist (esbuild, CommonJS)',
          imports: v.name,
          ns_per_record: Math.round((v.ms * 1e6) / (ROUNDS * records)),
          ratio_to_bound_once: Math.round((v.ms / variants[0].ms) * 1000) / 1000,
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
        'module in `dist/`) emits the same getters as tsx, so the codec is built both ways and timed on the same',
        `HDFS requests of 512 records in one process, alternating (${ROUNDS} rounds).`,
        '',
        markdownTable(cases, ['case', 'build', 'imports', 'ns_per_record', 'ratio_to_bound_once']),
      ].join('\n'),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main();
