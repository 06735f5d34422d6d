import { isDeepStrictEqual } from 'node:util';
import { BUILTIN_MASKS, createMasker, maskLine } from '../../src/parse/masking';
import { LineScanner } from '../../src/parse/scan';
import { TemplateMiner, type MinerOptions } from '../../src/parse/miner';
import type { MinerConfig } from '../../src/parse/config';
import { logCorpus } from '../fixtures/log-corpus';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

const corpus = logCorpus(6000);

/** Configs that change what the front end and the router do: every branch of the fast path gets a say. */
const CONFIGS: [string, Partial<MinerConfig>][] = [
  ['default', {}],
  ['digits off', { masks: { disable: ['digits'], add: [] } }],
  ['all built-ins off', { masks: { disable: [...BUILTIN_MASKS], add: [] } }],
  ['dates and key-values off', { masks: { disable: ['dates', 'key-values'], add: [] } }],
  ['digits and open-key off', { masks: { disable: ['digits', 'open-key', 'empty'], add: [] } }],
  [
    'user rules',
    {
      masks: {
        disable: ['hex'],
        add: [
          { name: 'words', regex: 'worker|node' },
          { name: 'kv', regex: '[a-z]+=\\S+' },
        ],
      },
    },
  ],
  ['few tokens, short lines', { maxTokens: 6, maxLineLength: 40 }],
  ['tight tree', { depth: 1, maxChildren: 2, similarityThreshold: 1 }],
  ['loose match, deep tree', { depth: 5, similarityThreshold: 0.3 }],
  ['eviction', { maxTemplates: 12 }],
];

/**
 * `expect(got).toEqual(want)`, asked only when Node's deep equality already differs: jest's matcher
 * over every line of the corpus costs more than the miners it checks, and it still explains a difference.
 */
function expectSame(got: unknown, want: unknown): void {
  if (!isDeepStrictEqual(got, want)) expect(got).toEqual(want);
}

function runMiner(config: Partial<MinerConfig>, options: MinerOptions): { lines: unknown[]; final: unknown } {
  const m = new TemplateMiner(config, options);
  const lines = corpus.map(({ service, line }, i) => m.add(service, line, i));
  const final = { clusters: m.clusters(), snapshot: new TextDecoder().decode(m.snapshot()) };
  return { lines, final };
}

describe('parser fast path', () => {
  it.each(CONFIGS)('the line scanner gives the general front end exactly (%s)', (_name, config) => {
    const disable = config.masks?.disable ?? [];
    const add = config.masks?.add ?? [];
    const maxTokens = config.maxTokens ?? 256;
    const maxLen = config.maxLineLength ?? 16384;
    const masker = createMasker(disable, add);
    const scanner = new LineScanner(maxTokens, disable, add);
    for (const { line } of corpus) {
      const text = line.slice(0, maxLen);
      const want = maskLine(text, maxTokens, masker);
      const n = scanner.scan(text);
      const got =
        n <= 0
          ? undefined
          : {
              raw: Array.from({ length: n }, (_, i) => scanner.rawToken(text, i)),
              masked: Array.from({ length: n }, (_, i) => scanner.maskedToken(text, i)),
            };
      expectSame({ line, got }, { line, got: want });
      if (got)
        got.masked.forEach((m, i) => scanner.masksTo(text, i, m) || expect(scanner.masksTo(text, i, m)).toBe(true));
    }
  });

  it.each(CONFIGS)(
    'fast miner (scanner + template cache) = general miner: ids, templates, params (%s)',
    (_n, config) => {
      const general = runMiner(config, { fastPath: false });
      expectSame(runMiner(config, {}), general);
      expectSame(runMiner(config, { cacheSize: 0 }), general);
      // a tiny cache: clashes replace entries all the time
      expectSame(runMiner(config, { cacheSize: 2 }), general);
    },
  );

  it('lines that mask alike hash alike (else repeats miss the cache), and unlike ones seldom clash', () => {
    const scanner = new LineScanner(256);
    const hashOf = new Map<string, number>();
    const lines = [...corpus.map((c) => c.line), 'k=<*> <*> x', 'k=7 12 x', 'k=7\t12  99 x'];
    for (const line of lines) {
      const n = scanner.scan(line);
      if (n <= 0) continue;
      const masked = Array.from({ length: n }, (_, i) => scanner.maskedToken(line, i)).join(' ');
      const h = hashOf.get(masked);
      if (h === undefined) hashOf.set(masked, scanner.hash);
      else if (scanner.hash !== h) expect({ masked, hash: scanner.hash }).toEqual({ masked, hash: h });
    }
    expect(hashOf.get('k=<*> <*> x')).toBeDefined();
    expect(new Set(hashOf.values()).size).toBeGreaterThan(hashOf.size * 0.99);
  });

  it('a cached route is left when its template generalises, or its group grows under a partial match', () => {
    const cfg = { similarityThreshold: 0.7 };
    const m = new TemplateMiner(cfg);
    const general = new TemplateMiner(cfg, { fastPath: false });
    const lines = [
      'fetch a from b done now',
      'fetch a from b done now', // hit (made from this line)
      'fetch a from c done now', // generalises the template: the entries made before go stale
      'fetch a from b done now', // re-routed, similarity 5/6: cached with the group's size
      'fetch a from b done now', // hit
      'fetch a from d done later', // similarity 4/6: a new template joins the group
      'fetch a from b done now', // not a hit: the newcomer might fit better (it does not)
    ];
    const got = lines.map((l) => m.add('s', l, 0));
    expect(got).toEqual(lines.map((l) => general.add('s', l, 0)));
    expect(got[3].template).toBe('fetch a from <*> done now');
    expect(got[5].isNew).toBe(true);
    expect(m.cacheHits).toBe(2);
  });

  it('a restored miner drops its cached routes and goes on like the general one', () => {
    const half = corpus.length / 2;
    const fast = new TemplateMiner({ maxTemplates: 40 });
    const general = new TemplateMiner({ maxTemplates: 40 }, { fastPath: false });
    const got: unknown[] = [];
    const want: unknown[] = [];
    corpus.slice(0, half).forEach(({ service, line }, i) => {
      got.push(fast.add(service, line, i));
      want.push(general.add(service, line, i));
    });
    // restore an older state into the fast miner: its cached routes point at clusters it no longer has
    const old = new TemplateMiner({ maxTemplates: 40 }, { fastPath: false });
    corpus.slice(0, 100).forEach(({ service, line }, i) => old.add(service, line, i));
    fast.restore(old.snapshot());
    general.restore(old.snapshot());
    corpus.slice(half).forEach(({ service, line }, i) => {
      got.push(fast.add(service, line, i));
      want.push(general.add(service, line, i));
    });
    expectSame(got, want);
  });

  it('the cache answers most lines of a corpus whose events repeat with other variables', () => {
    const m = new TemplateMiner();
    for (const { service, line } of corpus) m.add(service, line, 0);
    expect(m.cacheHits).toBeGreaterThan(corpus.length / 2);
  });
});
