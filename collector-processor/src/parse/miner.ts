import { UNPARSED_TEMPLATE_ID } from '@anomalog/shared';
import { createMasker, maskLine, type Masker } from './masking';
import { isNumberedNameAt, isWordValueAt } from './token-shapes';
import { defaultMinerConfig, type MinerConfig } from './config';
import { fnv, LineScanner, WILD as WILD_KIND } from './scan';
import { paramPositions, TemplateCache, type CacheEntry } from './template-cache';
import { LeafIndex } from './leaf-index';
import { optionalGaps, renderTemplate, withGaps } from './render';
import { isVerbThenFreeText } from './free-text';
import { encodeSnapshot, parseSnapshot } from './snapshot';
import { countConstants, differsOnlyInNamedHead, hasConstant, mergeInto, skeletonKey } from './template-merge';

/** A local copy: read in every loop of the hot path (an imported binding can cost a getter call). */
const WILDCARD = '<*>';
/**
 * A bare `-`: the conventional empty value of a field (`- - [date]`, `user -`). With the dash-slot
 * rule it matches any token at its position, on either side, so `ident - alice` meets `ident - -`:
 * an empty field and a filled one are the same event. Only the bare dash: a quoted `"-"` can be a
 * whole request that was empty, another event than one that was garbled (token-shapes.ts isDashAt).
 */
const DASH = '-';

/** How the miner runs, not what it mines: both give the same templates, ids and params. */
export interface MinerOptions {
  /** false: tokenize + per-token masker + no template cache (the general path the fast one is tested against). */
  fastPath?: boolean;
  /** Entries of the masked-line → template cache (rounded up to a power of two; 0 = off). */
  cacheSize?: number;
  /**
   * false: results carry no params (an empty array). The live stream scores template ids only; the
   * per-record params array and its substrings were a tenth of the chain's allocation.
   */
  params?: boolean;
}

const NO_PARAMS: string[] = Object.freeze([]) as unknown as string[];

export interface MineResult {
  templateId: string;
  template: string;
  params: string[];
  isNew: boolean;
}

import type { Cluster } from './cluster';

export type { Cluster };

export const UNPARSED_TEMPLATE = '<unparsed>';

/**
 * Leaves this large are searched through a token index (leaf-index.ts) instead of a scan: below it
 * the scan's few string compares per cluster are cheaper than building and probing the index.
 */
const INDEX_LEAVES_FROM = 64;

/**
 * Key prefix of the groups holding every template of one (service, length); a leaf's key starts with
 * the service, and no service name starts with this control char.
 */
const LENGTH_GROUP = '\u0001';

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
  /** Token indexes of the large leaves (leaf-index.ts), by group key; rebuilt when their leaf changed. */
  private readonly leafIndexes = new Map<string, LeafIndex<Cluster>>();
  private useCounter = 0;
  private readonly fastPath: boolean;
  private readonly withParams: boolean;
  private readonly dashSlot: boolean;
  private readonly scanner: LineScanner;
  private readonly cache: TemplateCache;
  /** Bumped whenever templates are evicted or restored: cache entries of an older epoch are stale. */
  private epoch = 0;
  /** Similarity of the last bestMatch winner (1 = every constant token of the line matched). */
  private lastSim = 0;
  private lastService = '';
  /** Lines answered from the template cache (for tests and metrics). */
  cacheHits = 0;
  /**
   * Whitespace tokens of the last add()'s message as detect-stage's tokenCount counts them, known
   * from the fast path's scan, or -1 (general path, truncated or binary line, token cap reached).
   */
  lastTokens = -1;
  private lastServiceHash = fnv(0x811c9dc5, '');

  constructor(config: Partial<MinerConfig> = {}, options: MinerOptions = {}) {
    this.config = defaultMinerConfig(config);
    this.masker = createMasker(this.config.masks.disable, this.config.masks.add);
    this.fastPath = options.fastPath ?? true;
    this.withParams = options.params ?? true;
    this.dashSlot = this.masker.dashSlot;
    this.scanner = new LineScanner(this.config.maxTokens, this.config.masks.disable, this.config.masks.add);
    this.cache = new TemplateCache(this.fastPath ? (options.cacheSize ?? 4096) : 0);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The template text of an id still held (undefined once evicted). */
  templateText(id: string): string | undefined {
    const c = this.byId.get(id);
    return c ? this.textOf(c) : undefined;
  }

  clusters(): Cluster[] {
    return [...this.byId.values()];
  }

  add(service: string, message: string, nowMs: number = Date.now()): MineResult {
    let text = message;
    if (text.length > this.config.maxLineLength) text = text.slice(0, this.config.maxLineLength);
    if (!this.fastPath) {
      this.lastTokens = -1;
      return this.addGeneral(service, text, nowMs);
    }
    const sc = this.scanner;
    const n = sc.scan(text);
    // a truncated line's scan did not see the whole message
    this.lastTokens = text.length === message.length ? sc.spaceTokens : -1;
    if (n <= 0) return unparsed();
    const hash = this.lineHash(service, sc.hash);
    const hit = this.cache.get(hash);
    if (hit !== undefined && this.fresh(hit, service, text, n)) return this.touchCached(hit, text, nowMs);
    const raw = new Array<string>(n);
    const masked = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      raw[i] = sc.rawToken(text, i);
      masked[i] = sc.maskedToken(text, i);
    }
    return this.mine(service, raw, masked, nowMs, hash);
  }

  /** Tokenize, mask token by token and collapse: the reference the scanner must agree with. */
  private addGeneral(service: string, text: string, nowMs: number): MineResult {
    const line = maskLine(text, this.config.maxTokens, this.masker);
    if (line === undefined) return unparsed();
    return this.mine(service, line.raw, line.masked, nowMs, undefined);
  }

  /** Route the masked line to a template (or make one); with a hash, remember the route when it is safe to. */
  private mine(service: string, raw: string[], masked: string[], nowMs: number, hash: number | undefined): MineResult {
    if (this.masker.freeText && isVerbThenFreeText(masked, WILDCARD)) {
      // the line no longer has the scanner's token count, so no cached route could ever match it
      raw = [raw[0], raw.slice(1).join(' ')];
      masked = [masked[0], WILDCARD];
      hash = undefined;
    }
    const key = this.groupKey(service, masked);
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = []));
    let best = this.bestMatch(group, masked, key);
    let route = group;
    // Drain routes by the first tokens as if they were constants; a variable among them (`nginx.service:
    // Deactivated`, `(alice) CMD`) leaves each value its own leaf. Before making a template,
    // the line is compared with every template of its length, as it is with those of its leaf.
    const lengthKey = best ? '' : LENGTH_GROUP + service + '\u0000' + masked.length;
    const sameLength = best ? undefined : this.groups.get(lengthKey);
    if (sameLength !== undefined && sameLength !== group) {
      // the rule below allows one differing constant: the closest template of the length is its only candidate
      const constants = countConstants(masked);
      const other = this.bestMatch(sameLength, masked, lengthKey, constants < 2 ? 1 : (constants - 1) / constants);
      if (other !== undefined && differsOnlyInNamedHead(other.tokens, masked, this.config.depth - 1)) {
        best = other;
        route = sameLength;
      }
    }
    if (best) {
      const merged = mergeInto(best.tokens, masked);
      if (merged) {
        const before = best.tokens;
        best.tokens = merged;
        this.leafIndexes.get(key)?.retokened(best, before);
        this.leafIndexes.get(LENGTH_GROUP + service + '\u0000' + masked.length)?.retokened(best, before);
        this.texts.delete(best);
        this.indexSkeleton(best);
      }
      const r = this.touch(best, raw, masked, nowMs, false);
      if (hash !== undefined)
        // a route through the length group holds only while no template joins it: one joining the
        // line's own leaf would be found first
        this.remember(
          hash,
          service,
          masked,
          best,
          r.template,
          this.lastSim === 1 && route === group ? undefined : route,
        );
      return r;
    }
    // Same constants in the same order but a different number of variable tokens (e.g. "bytes sent"
    // vs "bytes (18.4 KB) sent"): the same event, which Drain's per-length tree splits apart.
    const sameSkeleton = this.skeletons.get(skeletonKey(service, masked));
    if (sameSkeleton && this.byId.has(sameSkeleton.id)) {
      this.noteGaps(sameSkeleton, masked);
      return this.touch(sameSkeleton, raw, masked, nowMs, false);
    }
    const cluster = this.create(service, masked, key, nowMs);
    group.push(cluster);
    const index = this.leafIndexes.get(key);
    if (index?.leaf === group) index.add(cluster);
    this.addToLength(cluster, lengthKey);
    this.indexSkeleton(cluster);
    // after the push: an eviction that empties this group must not drop it with the new cluster unlisted
    this.evict();
    const r = this.touch(cluster, raw, masked, nowMs, true);
    if (hash !== undefined) this.remember(hash, service, masked, cluster, r.template, undefined);
    return r;
  }

  /** Every template of one (service, length), in creation order: searched when a line's own leaf has no match. */
  private addToLength(c: Cluster, lengthKey: string): void {
    let list = this.groups.get(lengthKey);
    if (!list) this.groups.set(lengthKey, (list = []));
    list.push(c);
    const index = this.leafIndexes.get(lengthKey);
    if (index?.leaf === list) index.add(c);
  }

  /**
   * A line met through its skeleton may hold a variable where the template has none, or the other way
   * round: such a gap is optional and renders glued (render.ts). A new tokens array when the text
   * changes, so template-cache entries holding the old text go stale.
   */
  private noteGaps(c: Cluster, masked: string[]): void {
    if (masked.length === c.tokens.length) return;
    const gaps = withGaps(c.gaps, optionalGaps(c.tokens, masked));
    if (gaps === undefined) return;
    c.gaps = gaps;
    this.textChanged(c);
  }

  private lineHash(service: string, maskedHash: number): number {
    if (service !== this.lastService) {
      this.lastService = service;
      this.lastServiceHash = fnv(0x811c9dc5, service);
    }
    return Math.imul(maskedHash ^ this.lastServiceHash, 0x5bd1e995) ^ (maskedHash >>> 13);
  }

  /**
   * `group` for a match below similarity 1: that route holds only while no template joins the group
   * (a newcomer could match the line better); a similarity-1 match or a new template holds regardless.
   */
  private remember(
    hash: number,
    service: string,
    masked: string[],
    cluster: Cluster,
    text: string,
    group: Cluster[] | undefined,
  ): void {
    if (!this.cache.enabled) return;
    const { paramAt, paramSkip } = paramPositions(cluster.tokens);
    const tokens = cluster.tokens;
    const groupSize = group ? group.length : -1;
    this.cache.set({
      hash,
      service,
      masked,
      cluster,
      tokens,
      text,
      paramAt,
      paramSkip,
      epoch: this.epoch,
      group,
      groupSize,
    });
  }

  /** The entry still routes this line: same epoch, template unchanged, same service and masked tokens. */
  private fresh(e: CacheEntry, service: string, text: string, n: number): boolean {
    if (e.epoch !== this.epoch || e.cluster.tokens !== e.tokens || e.service !== service) return false;
    if (e.group !== undefined && e.group.length !== e.groupSize) return false;
    const m = e.masked;
    if (m.length !== n) return false;
    for (let i = 0; i < n; i++) if (!this.scanner.masksTo(text, i, m[i])) return false;
    return true;
  }

  /** touch() for a cached route: params straight from the scanned token bounds. */
  private touchCached(e: CacheEntry, text: string, nowMs: number): MineResult {
    this.cacheHits++;
    const c = e.cluster;
    c.count++;
    seen(c, nowMs);
    c.lastUse = ++this.useCounter;
    const template = c.kept !== undefined && this.keptVaries(c, text) ? this.textOf(c) : e.text;
    if (!this.withParams) return { templateId: c.id, template, params: NO_PARAMS, isNew: false };
    const sc = this.scanner;
    const { paramAt, paramSkip } = e;
    const params = new Array<string>(paramAt.length);
    for (let j = 0; j < paramAt.length; j++) {
      const i = paramAt[j];
      params[j] =
        sc.loose[i] === 0
          ? text.slice(sc.start[i] + paramSkip[j], sc.end[i])
          : sc.rawToken(text, i).slice(paramSkip[j]);
    }
    return { templateId: c.id, template, params, isNew: false };
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

  private bestMatch(
    group: Cluster[],
    masked: string[],
    key: string,
    t: number = this.config.similarityThreshold,
  ): Cluster | undefined {
    if (group.length >= INDEX_LEAVES_FROM && t > 0 && hasConstant(masked)) {
      let index = this.leafIndexes.get(key);
      if (index?.leaf !== group || index.size !== group.length)
        this.leafIndexes.set(key, (index = new LeafIndex(group, WILDCARD, this.dashSlot ? DASH : undefined)));
      const hit = index.best(masked, t);
      this.lastSim = hit?.sim ?? 0;
      return hit?.cluster;
    }
    let best: Cluster | undefined;
    let bestSim = -1;
    const n = masked.length;
    const dash = this.dashSlot;
    for (const c of group) {
      let same = 0;
      const tk = c.tokens;
      // similarity over the line's constant tokens only: wildcards neither help nor hurt, so two
      // messages that share a skeleton but differ in how many variables they hold still meet
      let constants = 0;
      for (let i = 0; i < n; i++) {
        const m = masked[i];
        if (m === WILDCARD) continue;
        constants++;
        if (tk[i] === m || (dash && (m === DASH || tk[i] === DASH))) same++;
      }
      const sim = constants === 0 ? 1 : same / constants;
      if (sim > bestSim) {
        bestSim = sim;
        best = c;
      }
    }
    this.lastSim = bestSim;
    return best && bestSim >= t ? best : undefined;
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
    if (gone.size > 0) this.epoch++;
    for (const c of gone) {
      this.byId.delete(c.id);
      this.texts.delete(c);
      const sk = skeletonKey(c.service, c.tokens);
      if (this.skeletons.get(sk) === c) this.skeletons.delete(sk);
    }
    for (const [key, group] of this.groups) {
      const kept = group.filter((c) => !gone.has(c));
      if (kept.length === 0) {
        this.groups.delete(key);
        this.leafIndexes.delete(key);
      } else if (kept.length !== group.length) this.groups.set(key, kept); // its index rebuilds on next use
    }
  }

  private indexSkeleton(c: Cluster): void {
    const key = skeletonKey(c.service, c.tokens);
    const had = this.skeletons.get(key);
    if (!had || !this.byId.has(had.id)) this.skeletons.set(key, c);
  }

  private touch(c: Cluster, raw: string[], masked: string[], nowMs: number, isNew: boolean): MineResult {
    c.count++;
    seen(c, nowMs);
    c.lastUse = ++this.useCounter;
    // params come from the line's own variable positions (its length may differ from the template's)
    const params = this.withParams ? paramsOf(masked.length === c.tokens.length ? c.tokens : masked, raw) : NO_PARAMS;
    if (isNew) c.kept = keptValues(raw, masked);
    else if (c.kept !== undefined) this.checkKept(c, raw, masked);
    return { templateId: c.id, template: this.textOf(c), params, isNew };
  }

  private textOf(c: Cluster): string {
    let text = this.texts.get(c);
    if (text === undefined) this.texts.set(c, (text = renderTemplate(c.tokens, c.gaps, c.kept)));
    return text;
  }

  /** A kept `key=` value this line does not share stops showing (general path: the raw tokens). */
  private checkKept(c: Cluster, raw: string[], masked: string[]): void {
    const kept = c.kept!;
    let changed = false;
    for (let i = 0; i < kept.length; i++) {
      const v = kept[i];
      if (v === null) continue;
      const t = c.tokens[i];
      const r = raw[i];
      const same =
        masked.length === kept.length &&
        masked[i] === t &&
        (t === WILDCARD
          ? r.length > v.length + 1 && r.charCodeAt(r.length - v.length - 1) === 32 && r.endsWith(v)
          : r.length - (t.length - 3) === v.length && r.endsWith(v));
      if (!same) {
        kept[i] = null;
        changed = true;
      }
    }
    if (changed) this.textChanged(c);
  }

  /** checkKept on the fast path: the values compared in place in the scanned line. Whether one stopped showing. */
  private keptVaries(c: Cluster, text: string): boolean {
    const kept = c.kept!;
    const sc = this.scanner;
    let changed = false;
    for (let i = 0; i < kept.length; i++) {
      const v = kept[i];
      if (v === null) continue;
      const t = c.tokens[i];
      let same: boolean;
      if (t === WILDCARD) {
        // the run's raw text ends in whitespace and the name (the general path joins the run by spaces)
        const from = sc.end[i] - v.length;
        const gap = text.charCodeAt(from - 1);
        same =
          sc.kind[i] === WILD_KIND &&
          from - 1 > sc.start[i] &&
          (gap === 32 || gap === 9 || gap === 10 || gap === 13 || gap === 11 || gap === 12) &&
          text.startsWith(v, from);
      } else {
        const from = sc.start[i] + t.length - 3;
        same = sc.end[i] - from === v.length && text.startsWith(v, from);
      }
      if (!same) {
        kept[i] = null;
        changed = true;
      }
    }
    if (changed) this.textChanged(c);
    return changed;
  }

  /** The template text changed: a new tokens array, so template-cache entries holding the old text go stale. */
  private textChanged(c: Cluster): void {
    c.tokens = c.tokens.slice();
    this.texts.delete(c);
  }

  /** Serialise every cluster (and the config fingerprint) to bytes. */
  snapshot(): Uint8Array {
    return encodeSnapshot(
      this.clusters(),
      [...this.groups].map(([k, g]) => [k, g.map((c) => c.id)]),
    );
  }

  /**
   * One snapshot per service asked for (same layout as snapshot(), holding that service's templates
   * only), in one pass over the templates. A service with no template held gets an empty snapshot.
   */
  snapshotServices(services: Iterable<string>): Map<string, Uint8Array> {
    const parts = new Map<string, { clusters: Cluster[]; groups: [string, string[]][] }>();
    for (const s of services) parts.set(s, { clusters: [], groups: [] });
    for (const c of this.byId.values()) parts.get(c.service)?.clusters.push(c);
    for (const [k, g] of this.groups) {
      if (g.length > 0) parts.get(g[0].service)?.groups.push([k, g.map((c) => c.id)]);
    }
    const out = new Map<string, Uint8Array>();
    for (const [s, p] of parts) out.set(s, encodeSnapshot(p.clusters, p.groups));
    return out;
  }

  /** Replace the state with a snapshot; throws a clear error on a broken one (state left unchanged). */
  restore(bytes: Uint8Array): void {
    const state = parseSnapshot(bytes);
    this.byId.clear();
    this.groups.clear();
    this.fanOut.clear();
    this.skeletons.clear();
    this.texts.clear();
    this.leafIndexes.clear();
    this.cache.clear();
    this.epoch++;
    for (const c of state.byId.values()) this.useCounter = Math.max(this.useCounter, c.lastUse ?? 0);
    this.insert(state.byId, state.groups);
  }

  /**
   * Replace one service's templates with those of a snapshot (its clusters of `service` only; other
   * services' templates are untouched). Throws on a broken snapshot, leaving the state unchanged.
   * Restored templates count as just used for eviction (another replica's use counter means nothing here).
   */
  restoreService(service: string, bytes: Uint8Array): void {
    const state = parseSnapshot(bytes);
    const byId = new Map<string, Cluster>();
    for (const [id, c] of state.byId) {
      if (c.service !== service) continue;
      const held = this.byId.get(id);
      if (held && held.service !== service)
        throw new Error(`miner snapshot: template id ${id} of ${service} is held by ${held.service}`);
      byId.set(id, c);
    }
    const groups = state.groups.filter(([, ids]) => ids.length > 0 && byId.has(ids[0]));
    this.dropService(service);
    this.epoch++;
    const use = ++this.useCounter;
    for (const c of byId.values()) c.lastUse = use;
    this.insert(byId, groups);
    this.evict();
  }

  /** Forget every template of one service (its groups, fan-out, skeletons). */
  private dropService(service: string): void {
    for (const [id, c] of this.byId) {
      if (c.service !== service) continue;
      this.byId.delete(id);
      this.texts.delete(c);
    }
    for (const [k, c] of this.skeletons) if (c.service === service) this.skeletons.delete(k);
    const prefix = `${service}\u0000`;
    for (const [k, g] of this.groups)
      if (g.length === 0 || g[0].service === service) {
        this.groups.delete(k);
        this.leafIndexes.delete(k);
      }
    for (const k of this.fanOut.keys()) if (k.startsWith(prefix)) this.fanOut.delete(k);
  }

  private insert(byId: Map<string, Cluster>, groups: [string, string[]][]): void {
    for (const [id, c] of byId) {
      this.byId.set(id, c);
      this.indexSkeleton(c);
      // rebuilt, not read from the snapshot: snapshots written before length groups have none
      this.addToLength(c, LENGTH_GROUP + c.service + '\u0000' + c.tokens.length);
    }
    for (const [key, ids] of groups) {
      if (key.startsWith(LENGTH_GROUP)) continue;
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
 * A record of the template at `nowMs` (its own time): records can arrive out of order (several
 * sources, retries, late batches), so first/last seen widen to it and never move back.
 */
function seen(c: Cluster, nowMs: number): void {
  if (nowMs > c.lastSeenMs) c.lastSeenMs = nowMs;
  if (nowMs < c.firstSeenMs) c.firstSeenMs = nowMs;
}

/**
 * What a new template's first line shows that the masks hid, null elsewhere (undefined when there is
 * none): the letters-only value of each `key=<*>` token (`tty=ssh`), and the name ending a run of
 * variables when it is a word with one trailing digit (`port 22 ssh2`: the digit rule masks `ssh2`, and
 * the run joins it to the port). The template shows them while every line has them.
 */
function keptValues(raw: readonly string[], masked: readonly string[]): (string | null)[] | undefined {
  let kept: (string | null)[] | undefined;
  for (let i = 0; i < masked.length; i++) {
    const t = masked[i];
    if (t === WILDCARD) {
      const r = raw[i];
      const sp = r.lastIndexOf(' ');
      if (sp <= 0 || !isNumberedNameAt(r, sp + 1, r.length)) continue;
      kept ??= new Array<string | null>(masked.length).fill(null);
      kept[i] = r.slice(sp + 1);
      continue;
    }
    if (t.length <= 4 || t.charCodeAt(t.length - 4) !== 61 || !t.endsWith(WILDCARD)) continue;
    const from = t.length - 3;
    if (!isWordValueAt(raw[i], from, raw[i].length)) continue;
    kept ??= new Array<string | null>(masked.length).fill(null);
    kept[i] = raw[i].slice(from);
  }
  return kept;
}

function unparsed(): MineResult {
  return { templateId: UNPARSED_TEMPLATE_ID, template: UNPARSED_TEMPLATE, params: [], isNew: false };
}

/** The raw text at each variable position of `tokens` (a `<*>` token, or the part after a `prefix<*>`). */
function paramsOf(tokens: readonly string[], raw: readonly string[]): string[] {
  const params: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === WILDCARD) params.push(raw[i]);
    else if (t.endsWith(WILDCARD)) params.push(raw[i].slice(t.length - WILDCARD.length));
  }
  return params;
}
