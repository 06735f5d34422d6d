/**
 * Masked line → template, for lines the miner has routed before. An entry stays right while its
 * template is unchanged and no template was evicted since, because of how matching works: a line's
 * similarity to a template can only fall as templates generalise (a constant turned wildcard no longer
 * counts as equal), so the template that won keeps winning against those it beat; merging the line
 * into it leaves its own similarity as it was. Only a template added to the group later could win
 * instead, and it needs a higher similarity: impossible when the winner had similarity 1 (or was
 * made from this line), else the entry also checks that the group has not grown. Generalising a
 * template gives it a new token array (template-merge.ts mergeInto), so `cluster.tokens === entry.tokens` tells a
 * changed template.
 * Direct-mapped on the hash of the masked line: O(1), bounded, a clash just replaces the older entry.
 */
import type { Cluster } from './cluster';

export interface CacheEntry {
  hash: number;
  service: string;
  /** The masked tokens the entry was made for (compared in place against the scanned line). */
  masked: string[];
  cluster: Cluster;
  /** The cluster's token array when the entry was made. */
  tokens: string[];
  text: string;
  /** Token positions that give a param, and how many leading chars of that raw token to skip. */
  paramAt: Int32Array;
  paramSkip: Int32Array;
  /** The miner's eviction epoch when the entry was made. */
  epoch: number;
  /** For a route below similarity 1: its group and the group's size then (undefined: any size). */
  group: Cluster[] | undefined;
  groupSize: number;
}

export class TemplateCache {
  private readonly slots: (CacheEntry | undefined)[];
  private readonly mask: number;

  /** `size` is rounded up to a power of two; 0 switches the cache off. */
  constructor(size: number) {
    const n = size <= 0 ? 0 : 1 << Math.ceil(Math.log2(size));
    this.slots = new Array<CacheEntry | undefined>(n).fill(undefined);
    this.mask = n - 1;
  }

  get enabled(): boolean {
    return this.slots.length > 0;
  }

  get(hash: number): CacheEntry | undefined {
    if (this.mask < 0) return undefined;
    const e = this.slots[(hash ^ (hash >>> 16)) & this.mask];
    return e !== undefined && e.hash === hash ? e : undefined;
  }

  set(e: CacheEntry): void {
    if (this.mask >= 0) this.slots[(e.hash ^ (e.hash >>> 16)) & this.mask] = e;
  }

  clear(): void {
    this.slots.fill(undefined);
  }
}

/** Where a template yields params: `<*>` tokens whole, `key=<*>` tokens after their key. */
export function paramPositions(tokens: string[]): { paramAt: Int32Array; paramSkip: Int32Array } {
  const at: number[] = [];
  const skip: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '<*>') {
      at.push(i);
      skip.push(0);
    } else if (t.endsWith('<*>')) {
      at.push(i);
      skip.push(t.length - 3);
    }
  }
  return { paramAt: Int32Array.from(at), paramSkip: Int32Array.from(skip) };
}
