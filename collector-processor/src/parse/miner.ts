import { UNPARSED_TEMPLATE_ID } from '@anomalog/shared';
import { createMasker, tokenize, WILDCARD, type Masker } from './masking';
import { defaultMinerConfig, type MinerConfig } from './config';

export interface MineResult {
  templateId: string;
  template: string;
  params: string[];
  isNew: boolean;
}

/** One template: its tokens (`<*>` for variables), stable id and how often / when it was seen. */
export interface Cluster {
  id: string;
  service: string;
  tokens: string[];
  count: number;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Miner-wide use counter at the last match: orders clusters for least-recently-seen eviction. */
  lastUse: number;
}

export const UNPARSED_TEMPLATE = '<unparsed>';

/** FNV-1a 32-bit, twice with different seeds: a 16-hex-digit deterministic id. */
function hashId(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** True when the text looks binary: NUL/control chars or U+FFFD replacement chars make up >10%. */
function looksBinary(s: string): boolean {
  let bad = 0;
  const n = Math.min(s.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return bad * 10 > n;
}

/**
 * Streaming Drain-class template miner. Routing: (service, token count, first token unless it is a
 * variable), then the most similar template in that group (positions equal or template wildcard)
 * above the threshold, merged position-wise. Ids are fixed when a template is first created and never
 * change when it generalises. Bounded by `maxTemplates` with least-recently-seen eviction.
 */
export class TemplateMiner {
  readonly config: MinerConfig;
  private readonly masker: Masker;
  /** Every cluster by id. */
  private readonly byId = new Map<string, Cluster>();
  private readonly groups = new Map<string, Cluster[]>();
  /** Distinct first tokens per (service, length), to cap the fan-out like Drain's maxChildren. */
  private readonly fanOut = new Map<string, Set<string>>();
  /** (service, constant tokens in order) → cluster; stale entries of evicted clusters are skipped. */
  private readonly skeletons = new Map<string, Cluster>();
  /** Template text per cluster, rebuilt only when the template generalises (not per line). */
  private readonly texts = new Map<Cluster, string>();
  private useCounter = 0;

  constructor(config: Partial<MinerConfig> = {}) {
    this.config = defaultMinerConfig(config);
    this.masker = createMasker(this.config.masks.disable, this.config.masks.add);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The template text of an id still held (undefined once evicted). */
  templateText(id: string): string | undefined {
    const c = this.byId.get(id);
    return c ? c.tokens.join(' ') : undefined;
  }

  clusters(): Cluster[] {
    return [...this.byId.values()];
  }

  add(service: string, message: string, nowMs: number = Date.now()): MineResult {
    let text = message;
    if (text.length > this.config.maxLineLength) text = text.slice(0, this.config.maxLineLength);
    if (looksBinary(text)) return unparsed();
    const raw = tokenize(text, this.config.maxTokens);
    if (raw.length === 0) return unparsed();
    const masked = new Array<string>(raw.length);
    for (let i = 0; i < raw.length; i++) masked[i] = this.masker.mask(raw[i]);
    collapseWildcards(masked, raw);
    const key = this.groupKey(service, masked);
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = []));
    const best = this.bestMatch(group, masked);
    if (best) {
      if (mergeInto(best.tokens, masked)) {
        this.texts.delete(best);
        this.indexSkeleton(best);
      }
      return this.touch(best, raw, masked, nowMs, false);
    }
    // Same constants in the same order but a different number of variable tokens (e.g. "bytes sent"
    // vs "bytes (18.4 KB) sent"): the same event, which Drain's per-length tree splits apart.
    const sameSkeleton = this.skeletons.get(skeletonKey(service, masked));
    if (sameSkeleton && this.byId.has(sameSkeleton.id)) return this.touch(sameSkeleton, raw, masked, nowMs, false);
    const cluster = this.create(service, masked, key, nowMs);
    group.push(cluster);
    this.indexSkeleton(cluster);
    return this.touch(cluster, raw, masked, nowMs, true);
  }

  private groupKey(service: string, masked: string[]): string {
    const head = `${service}\u0000${masked.length}`;
    const depth = Math.min(this.config.depth - 1, masked.length);
    let key = head;
    for (let i = 0; i < depth; i++) {
      const t = masked[i];
      if (t === WILDCARD) {
        key += '\u0000' + WILDCARD;
        continue;
      }
      let seen = this.fanOut.get(key);
      if (!seen) this.fanOut.set(key, (seen = new Set()));
      if (!seen.has(t) && seen.size >= this.config.maxChildren) key += '\u0000' + WILDCARD;
      else {
        seen.add(t);
        key += '\u0000' + t;
      }
    }
    return key;
  }

  private bestMatch(group: Cluster[], masked: string[]): Cluster | undefined {
    let best: Cluster | undefined;
    let bestSim = -1;
    const n = masked.length;
    for (const c of group) {
      let same = 0;
      const tk = c.tokens;
      // similarity over the line's constant tokens only: wildcards neither help nor hurt, so two
      // messages that share a skeleton but differ in how many variables they hold still meet
      let constants = 0;
      for (let i = 0; i < n; i++) {
        if (masked[i] === WILDCARD) continue;
        constants++;
        if (tk[i] === masked[i]) same++;
      }
      const sim = constants === 0 ? 1 : same / constants;
      if (sim > bestSim) {
        bestSim = sim;
        best = c;
      }
    }
    return best && bestSim >= this.config.similarityThreshold ? best : undefined;
  }

  private create(service: string, masked: string[], key: string, nowMs: number): Cluster {
    let id = hashId(`${service}\u0000${key}\u0000${masked.join(' ')}`);
    while (this.byId.has(id) || id === UNPARSED_TEMPLATE_ID) id = hashId(id);
    const cluster: Cluster = {
      id,
      service,
      tokens: masked.slice(),
      count: 0,
      firstSeenMs: nowMs,
      lastSeenMs: nowMs,
      lastUse: this.useCounter,
    };
    this.byId.set(id, cluster);
    this.evict();
    return cluster;
  }

  /**
   * Over the bound, drop the least recently used 1% (at least one) in one sort, so a flood of
   * unique lines costs an amortised O(100 log n) per new template instead of a scan each.
   */
  private evict(): void {
    const max = this.config.maxTemplates;
    if (this.byId.size <= max) return;
    const byAge = [...this.byId.values()].sort((x, y) => x.lastUse - y.lastUse);
    const drop = Math.max(this.byId.size - max, Math.ceil(max / 100));
    const gone = new Set(byAge.slice(0, Math.min(drop, byAge.length - 1)));
    for (const c of gone) {
      this.byId.delete(c.id);
      this.texts.delete(c);
      const sk = skeletonKey(c.service, c.tokens);
      if (this.skeletons.get(sk) === c) this.skeletons.delete(sk);
    }
    for (const [key, group] of this.groups) {
      const kept = group.filter((c) => !gone.has(c));
      if (kept.length === 0) this.groups.delete(key);
      else if (kept.length !== group.length) this.groups.set(key, kept);
    }
  }

  private indexSkeleton(c: Cluster): void {
    const key = skeletonKey(c.service, c.tokens);
    const had = this.skeletons.get(key);
    if (!had || !this.byId.has(had.id)) this.skeletons.set(key, c);
  }

  private touch(c: Cluster, raw: string[], masked: string[], nowMs: number, isNew: boolean): MineResult {
    c.count++;
    c.lastSeenMs = nowMs;
    c.lastUse = ++this.useCounter;
    // params come from the line's own variable positions (its length may differ from the template's)
    const tokens = masked.length === c.tokens.length ? c.tokens : masked;
    const params: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t === WILDCARD) params.push(raw[i]);
      else if (t.endsWith(WILDCARD)) params.push(raw[i].slice(t.length - WILDCARD.length));
    }
    let text = this.texts.get(c);
    if (text === undefined) this.texts.set(c, (text = c.tokens.join(' ')));
    return { templateId: c.id, template: text, params, isNew };
  }

  /** Serialise every cluster (and the config fingerprint) to bytes. */
  snapshot(): Uint8Array {
    const state = {
      version: 1,
      clusters: this.clusters(),
      groups: [...this.groups].map(([k, g]) => [k, g.map((c) => c.id)]),
    };
    return new TextEncoder().encode(JSON.stringify(state));
  }

  /** Replace the state with a snapshot; throws a clear error on a broken one (state left unchanged). */
  restore(bytes: Uint8Array): void {
    let state: { version: number; clusters: Cluster[]; groups: [string, string[]][] };
    try {
      state = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (e) {
      throw new Error(`miner snapshot is not valid JSON: ${(e as Error).message}`);
    }
    if (state?.version !== 1 || !Array.isArray(state.clusters) || !Array.isArray(state.groups))
      throw new Error('miner snapshot has an unknown layout');
    const byId = new Map<string, Cluster>();
    for (const c of state.clusters) {
      if (typeof c?.id !== 'string' || !Array.isArray(c.tokens)) throw new Error('miner snapshot: bad cluster');
      byId.set(c.id, c);
    }
    this.byId.clear();
    this.groups.clear();
    this.fanOut.clear();
    this.skeletons.clear();
    this.texts.clear();
    for (const c of byId.values()) this.useCounter = Math.max(this.useCounter, c.lastUse ?? 0);
    for (const [id, c] of byId) {
      this.byId.set(id, c);
      this.indexSkeleton(c);
    }
    for (const [key, ids] of state.groups) {
      const group = ids.map((id) => byId.get(id)).filter((c): c is Cluster => c !== undefined);
      if (group.length > 0) this.groups.set(key, group);
      const parts = key.split('\u0000');
      for (let d = 2; d < parts.length; d++) {
        const parent = parts.slice(0, d).join('\u0000');
        let seen = this.fanOut.get(parent);
        if (!seen) this.fanOut.set(parent, (seen = new Set()));
        if (parts[d] !== WILDCARD) seen.add(parts[d]);
      }
    }
  }
}

/**
 * Runs of adjacent variable tokens become one `<*>` (their raw text joined as one param), so
 * "(18.4 KB)" or "<1 sec" cost the same token count as "00:01". Edits `raw` in place to match.
 */
function collapseWildcards(masked: string[], raw: string[]): string[] {
  let w = 0;
  for (let r = 0; r < masked.length; r++) {
    if (masked[r] === WILDCARD && w > 0 && masked[w - 1] === WILDCARD) {
      raw[w - 1] += ' ' + raw[r];
      continue;
    }
    masked[w] = masked[r];
    raw[w] = raw[r];
    w++;
  }
  masked.length = w;
  raw.length = w;
  return masked;
}

function skeletonKey(service: string, tokens: string[]): string {
  let key = service;
  for (const t of tokens) if (t !== WILDCARD) key += '\u0000' + t;
  return key;
}

/** Turn differing positions into wildcards; true when the template changed. */
function mergeInto(template: string[], masked: string[]): boolean {
  let changed = false;
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== masked[i] && template[i] !== WILDCARD) {
      template[i] = WILDCARD;
      changed = true;
    }
  }
  return changed;
}

function unparsed(): MineResult {
  return { templateId: UNPARSED_TEMPLATE_ID, template: UNPARSED_TEMPLATE, params: [], isNew: false };
}
