import { createMasker, maskLine } from '../../src/parse/masking';
import { LineScanner } from '../../src/parse/scan';
import { TemplateMiner, type MinerOptions } from '../../src/parse/miner';
import type { MinerConfig } from '../../src/parse/config';
import { logCorpus } from '../fixtures/log-corpus';

const corpus = logCorpus(6000);

/** Configs that change what the front end and the router do: every branch of the fast path gets a say. */
const CONFIGS: [string, Partial<MinerConfig>][] = [
  ['default', {}],
  ['digits off', { masks: { disable: ['digits'], add: [] } }],
  ['all built-ins off', { masks: { disable: ['digits', 'units', 'hex', 'path', 'url', 'email'], add: [] } }],
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
      expect({ line, got }).toEqual({ line, got: want });
      if (got) got.masked.forEach((m, i) => expect(scanner.masksTo(text, i, m)).toBe(true));
    }
  });

  it.each(CONFIGS)('fast miner (line scanner) = general miner: ids, templates, params (%s)', (_n, config) => {
    const general = runMiner(config, { fastPath: false });
    expect(runMiner(config, {})).toEqual(general);
  });

  it('a restored miner goes on like the general one (with templates evicted all the time)', () => {
    const half = corpus.length / 2;
    const fast = new TemplateMiner({ maxTemplates: 40 });
    const general = new TemplateMiner({ maxTemplates: 40 }, { fastPath: false });
    const got: unknown[] = [];
    const want: unknown[] = [];
    corpus.slice(0, half).forEach(({ service, line }, i) => {
      got.push(fast.add(service, line, i));
      want.push(general.add(service, line, i));
    });
    // restore an older state: clusters, groups and fan-out sets are replaced under the running miner
    const old = new TemplateMiner({ maxTemplates: 40 }, { fastPath: false });
    corpus.slice(0, 100).forEach(({ service, line }, i) => old.add(service, line, i));
    fast.restore(old.snapshot());
    general.restore(old.snapshot());
    corpus.slice(half).forEach(({ service, line }, i) => {
      got.push(fast.add(service, line, i));
      want.push(general.add(service, line, i));
    });
    expect(got).toEqual(want);
  });
});
