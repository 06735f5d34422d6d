import { LeafIndex } from '../../src/parse/leaf-index';
import { TemplateMiner } from '../../src/parse/miner';

const W = '<*>';

/**
 * The miner's linear scan: highest similarity over the line's constants, first cluster on ties; with
 * `any`, that token matches any token at its position on either side (the dash-slot rule).
 */
function scan(leaf: { tokens: string[] }[], masked: string[], threshold: number, any?: string) {
  let best: { tokens: string[] } | undefined;
  let bestSim = -1;
  for (const c of leaf) {
    let same = 0;
    let constants = 0;
    masked.forEach((t, i) => {
      if (t === W) return;
      constants++;
      if (c.tokens[i] === t || (any !== undefined && (t === any || c.tokens[i] === any))) same++;
    });
    const sim = constants === 0 ? 1 : same / constants;
    if (sim > bestSim) {
      bestSim = sim;
      best = c;
    }
  }
  return best && bestSim >= threshold ? best : undefined;
}

function lcg(seed: number) {
  let s = seed;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('LeafIndex (token index of a large Drain leaf)', () => {
  test.each([
    [0.4, undefined],
    [0.5, undefined],
    [0.7, undefined],
    [1, undefined],
    [0.5, '-'],
    [0.7, '-'],
    [1, '-'],
  ])('finds what the linear scan finds, also after merges (threshold %s, any-token %s)', (t, any) => {
    const rand = lcg(Math.round(t * 100));
    // small vocabularies per position so clusters share many tokens and ties happen
    const token = (i: number) => {
      const x = rand();
      if (x < 0.15) return W;
      // a dash often enough that lines and clusters hold one at the same position
      if (any !== undefined && x < 0.3) return any;
      return `w${i}_${Math.floor(rand() * 4)}`;
    };
    const line = (n: number) => Array.from({ length: n }, (_, i) => token(i));
    const leaf: { tokens: string[] }[] = [];
    const index = new LeafIndex(leaf, W, any);
    for (let k = 0; k < 300; k++) {
      const c = { tokens: line(8) };
      leaf.push(c);
      index.add(c);
    }
    let found = 0;
    for (let q = 0; q < 2000; q++) {
      const masked = line(8);
      const want = scan(leaf, masked, t, any);
      const got = index.best(masked, t);
      if (!masked.every((x) => x === W)) expect(got?.cluster).toBe(want);
      if (want) found++;
      // as Miner.mine does: merge the winner's differing tokens into wildcards
      if (got && rand() < 0.3) {
        const before = got.cluster.tokens;
        got.cluster.tokens = before.map((x, i) => (x === masked[i] ? x : W));
        index.retokened(got.cluster, before);
      }
    }
    expect(found).toBeGreaterThan(20);
    expect(index.size).toBe(leaf.length);
  });

  test('a storm of unique templates past maxChildren: each keeps its own template, repeats find it', () => {
    const miner = new TemplateMiner();
    // letters outside a–f and no digits, so masking never takes a word for an id
    const word = (h: number) =>
      Array.from({ length: 5 }, (_, j) => 'ghijklmnopqrstuvwxyz'[(h >>> (j * 4)) % 20]).join('');
    const words = (k: number) =>
      Array.from({ length: 6 }, (_, i) => word(Math.imul(k + 1, 0x9e3779b1) ^ (i * 0x85ebca6b)));
    const ids = new Map<string, number>();
    for (let k = 0; k < 3000; k++) {
      const r = miner.add('svc', `${words(k).join(' ')} took ${k} ms`, 0);
      expect(r.isNew).toBe(true);
      ids.set(r.templateId, k);
    }
    expect(ids.size).toBe(3000);
    for (let k = 0; k < 3000; k += 37) {
      const r = miner.add('svc', `${words(k).join(' ')} took ${k + 5} ms`, 0);
      expect(r.isNew).toBe(false);
      expect(ids.get(r.templateId)).toBe(k);
    }
  });
});
