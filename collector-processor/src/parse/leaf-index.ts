/**
 * The clusters of one large Drain leaf, indexed by (position, constant token), so the most similar
 * cluster to a line is found among the few that can reach the similarity threshold instead of by
 * comparing the line with every cluster of the leaf.
 *
 * Why: Drain routes a line by its length and first tokens; once a node has `maxChildren` children,
 * new first tokens all go down one wildcard branch. A flood of new templates (every line its own:
 * a misconfigured logger, an attack) thus piles thousands of clusters into one leaf, and the linear
 * scan made each record cost O(clusters): 894 records/s with 10,000 templates (bench:memory).
 *
 * How (prefix filtering, as in set-similarity joins): a cluster reaches similarity t on a line with
 * c constant tokens only if it shares at least k = ceil(t·c) of them at their positions, so it must
 * hold one of any c − k + 1 of them; taking the line's rarest tokens, the candidates are the union
 * of their (short) posting lists, each then compared in full, position by position. The result is the linear scan's: the
 * highest similarity, ties to the cluster first in the leaf, nothing under the threshold.
 */
export interface IndexedCluster {
  tokens: string[];
}

export class LeafIndex<C extends IndexedCluster> {
  /**
   * token → the clusters holding it (once per position holding it). By token only, not (position,
   * token): candidates are compared position by position anyway, and in a flood of unique words
   * per-position lists doubled the index's size. Arrays, not Sets: most lists hold one cluster, and
   * removal (a merge) is rare.
   */
  private readonly postings = new Map<string, C[]>();
  /** Leaf order of each cluster (ties go to the earliest, as in the scan). */
  private readonly order = new Map<C, number>();
  private nextOrder = 0;
  /** Scratch for one lookup: the line's constant positions, rarest first. */
  private positions: number[] = [];

  constructor(
    /** The leaf array this index was built from: a different array (evicted, restored) means rebuild. */
    readonly leaf: readonly C[],
    private readonly wildcard: string,
    /**
     * A token that matches any token at its position, on either side (the miner's dash-slot rule),
     * or undefined. A line's such tokens match every cluster, so only its other constants are probed;
     * a cluster holding one can match any probed token, so the clusters holding it join each probe.
     */
    private readonly any?: string,
  ) {
    for (const c of leaf) this.add(c);
  }

  /** Clusters indexed: equal to the leaf's length while the index is in step with it. */
  get size(): number {
    return this.order.size;
  }

  add(c: C): void {
    this.order.set(c, this.nextOrder++);
    for (const t of c.tokens) if (t !== this.wildcard) this.listOf(t).push(c);
  }

  /** After a merge turned some of `c`'s tokens into wildcards (`before` are its old tokens). */
  retokened(c: C, before: readonly string[]): void {
    before.forEach((t, i) => {
      if (t === c.tokens[i] || t === this.wildcard) return;
      const list = this.postings.get(t);
      const at = list ? list.indexOf(c) : -1;
      if (at >= 0) list!.splice(at, 1);
    });
  }

  /**
   * The most similar cluster at or over `threshold` (similarity over the line's constant tokens, as
   * Miner.bestMatch counts it), and that similarity; undefined when none reaches it.
   */
  best(masked: readonly string[], threshold: number): { cluster: C; sim: number } | undefined {
    const pos = this.positions;
    pos.length = 0;
    const any = this.any;
    let free = 0;
    for (let i = 0; i < masked.length; i++) {
      const m = masked[i];
      if (m === this.wildcard) continue;
      if (m === any) free++;
      else pos.push(i);
    }
    const constants = pos.length + free;
    if (constants === 0) return undefined; // every cluster is as similar: the caller scans
    const need = Math.max(1, Math.ceil(threshold * constants - 1e-9)) - free;
    const listOf = (i: number) => this.postings.get(masked[i]);
    pos.sort((a, b) => (listOf(a)?.length ?? 0) - (listOf(b)?.length ?? 0));
    let best: C | undefined;
    let bestSame = -1;
    let bestOrder = Infinity;
    const seen = new Set<C>();
    const consider = (c: C): void => {
      if (seen.has(c)) return;
      seen.add(c);
      let same = free;
      for (const p of pos) {
        const t = c.tokens[p];
        if (t === masked[p] || t === any) same++;
      }
      const order = this.order.get(c)!;
      if (same > bestSame || (same === bestSame && order < bestOrder)) {
        best = c;
        bestSame = same;
        bestOrder = order;
      }
    };
    if (need <= 0) {
      // the line's free matches reach the threshold alone: every cluster is a candidate
      for (const c of this.order.keys()) consider(c);
    } else {
      const anyList = any === undefined ? undefined : this.postings.get(any);
      const probe = pos.length - need + 1;
      for (let p = 0; p < probe; p++) {
        const list = listOf(pos[p]);
        if (list) for (const c of list) consider(c);
        if (anyList) for (const c of anyList) consider(c);
      }
    }
    const sim = bestSame / constants;
    return best && sim >= threshold ? { cluster: best, sim } : undefined;
  }

  private listOf(token: string): C[] {
    let list = this.postings.get(token);
    if (!list) this.postings.set(token, (list = []));
    return list;
  }
}
