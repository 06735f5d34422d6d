/**
 * Groups records into sessions: by trace id, by an attribute, by a regex on the message (HDFS
 * `blk_-?\d+`), or into fixed / sliding time windows per service, for the detectors that score whole
 * sessions (count vectors) in the benchmark framework's raw-log loaders. A pure data structure: time
 * only moves when the caller passes `now`. Closed sessions are handed to `onClose`; nothing is kept
 * after that. Live, model/group-model.ts keeps one per service to score closed sessions and
 * windows by their counts (session ids from lifecycle/session-key.ts, through addTo).
 */
import { compileUserRegex, type UserRegex } from '../util/user-regex';

export type SessionKind = 'trace' | 'attribute' | 'regex' | 'window';

export interface SessionOptions {
  kind: SessionKind;
  /** Attribute key (kind 'attribute'). */
  attribute?: string;
  /** Session id regex on the message (kind 'regex'); every distinct match of a line is a session (its first capture group, or the whole match). */
  regex?: string;
  /** Window length (kind 'window'). */
  windowMs?: number;
  /** Window step; equal to windowMs (the default) gives fixed windows, smaller gives sliding ones. */
  slideMs?: number;
  /** Key sessions close after this long without a record. */
  inactivityMs: number;
  /** A session closes when it holds this many records. */
  maxEvents: number;
  /** Open sessions at most; the least recently active is closed ('evicted') first. */
  maxOpen: number;
  /** Approximate bytes held by open sessions at most (same eviction); Infinity for no bound. */
  maxBytes?: number;
}

export type CloseReason = 'inactive' | 'size' | 'evicted' | 'window' | 'flush';

export interface ClosedSession {
  /** Session key: trace id, attribute value, regex match, or `window:<start ms>`. */
  readonly key: string;
  readonly service: string;
  /** Template indexes in record order (a trimmed copy owned by the receiver). */
  readonly templates: Int32Array;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly reason: CloseReason;
}

/** What the tracker needs from one record. */
export interface SessionRecord {
  service: string;
  /** Template index (vocabulary column). */
  template: number;
  timeMs: number;
  message?: string;
  traceId?: string;
  attributes?: Readonly<Record<string, string | number | boolean | undefined>>;
}

export interface SessionStats {
  open: number;
  bytes: number;
  opened: number;
  closedInactive: number;
  closedSize: number;
  closedWindow: number;
  evicted: number;
  /** Records that had no session key (no trace id, attribute or regex match). */
  unkeyed: number;
}

interface Open {
  /** Map key: service, NUL, session key. */
  id: string;
  key: string;
  service: string;
  templates: Int32Array;
  length: number;
  firstMs: number;
  lastMs: number;
  /** Window end (kind 'window'); Infinity otherwise. */
  endMs: number;
}

/** Per-session bookkeeping beyond the template array (map entry, strings, object): a rough constant. */
const SESSION_OVERHEAD_BYTES = 160;
const INITIAL_CAPACITY = 8;

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  kind: 'window',
  windowMs: 60_000,
  inactivityMs: 300_000,
  maxEvents: 10_000,
  maxOpen: 100_000,
};

export class SessionTracker {
  readonly options: Required<SessionOptions>;
  private readonly regex?: UserRegex;
  /** Open sessions in least-recently-active order (a Map keeps insertion order; touching re-inserts). */
  private readonly open = new Map<string, Open>();
  private readonly keys: string[] = [];
  /** Earliest end among open windows (kind 'window'). */
  private nextWindowEnd = Infinity;
  /** Key kinds: at most the last record time of the least recently active open session (see advance). */
  private oldestMs = -Infinity;
  private readonly stats: SessionStats = {
    open: 0,
    bytes: 0,
    opened: 0,
    closedInactive: 0,
    closedSize: 0,
    closedWindow: 0,
    evicted: 0,
    unkeyed: 0,
  };

  constructor(
    options: Partial<SessionOptions> & Pick<SessionOptions, 'kind'>,
    private readonly onClose: (session: ClosedSession) => void,
  ) {
    const o = { ...DEFAULT_SESSION_OPTIONS, maxBytes: Infinity, attribute: '', regex: '', ...options };
    const windowMs = o.windowMs ?? 60_000;
    this.options = { ...o, windowMs, slideMs: o.slideMs ?? windowMs } as Required<SessionOptions>;
    if (o.kind === 'regex') {
      if (!o.regex) throw new Error('sessions by regex need a regex');
      this.regex = compileUserRegex(o.regex);
    }
    if (o.kind === 'attribute' && !o.attribute) throw new Error('sessions by attribute need an attribute key');
    if (o.kind === 'window' && (!(windowMs > 0) || !(this.options.slideMs > 0) || this.options.slideMs > windowMs))
      throw new Error('windows need 0 < slideMs <= windowMs');
    if (!(o.maxEvents >= 1) || !(o.maxOpen >= 1)) throw new Error('maxEvents and maxOpen must be at least 1');
  }

  /** Counters and current size; a copy. */
  snapshotStats(): SessionStats {
    return { ...this.stats, open: this.open.size };
  }

  get openCount(): number {
    return this.open.size;
  }

  /** Add one record at time `now` (defaults to its own time); closes what expired first. */
  add(rec: SessionRecord, now: number = rec.timeMs): void {
    this.advance(now);
    const n = this.keysOf(rec);
    if (n === 0) {
      this.stats.unkeyed++;
      return;
    }
    for (let i = 0; i < n; i++) this.append(this.keys[i], rec, now);
    this.enforceBounds();
  }

  /**
   * Add one record to the session `key` the caller already resolved (the live path takes it from
   * lifecycle/session-key.ts); closes what expired first. For the key kinds, not 'window', and for a
   * tracker of one service: the key is the map key as it is (no per-record string built).
   */
  addTo(key: string, rec: SessionRecord, now: number = rec.timeMs): void {
    this.advance(now);
    this.append(key, rec, now);
    this.enforceBounds();
  }

  /** Close sessions idle for inactivityMs and windows that ended, as of `now`. */
  advance(now: number): void {
    if (this.options.kind === 'window') {
      // Scan only when the earliest window end has passed: not on every record.
      if (now < this.nextWindowEnd) return;
      let next = Infinity;
      for (const s of this.open.values()) {
        if (s.endMs <= now) this.close(s, 'window');
        else if (s.endMs < next) next = s.endMs;
      }
      this.nextWindowEnd = next;
      return;
    }
    const limit = now - this.options.inactivityMs;
    // Reaching the least recently active session walks over the entries every record deleted from the
    // map: only done once `limit` may have passed it (oldestMs is at most its last record time).
    if (limit < this.oldestMs) return;
    for (const s of this.open.values()) {
      if (s.lastMs > limit) {
        this.oldestMs = s.lastMs; // least recently active first: the rest are younger
        return;
      }
      this.close(s, 'inactive');
    }
    this.oldestMs = Infinity;
  }

  /** Close everything still open (end of a batch, shutdown). */
  flush(): void {
    for (const s of this.open.values()) this.close(s, 'flush');
    this.nextWindowEnd = Infinity;
  }

  private keysOf(rec: SessionRecord): number {
    const o = this.options;
    const keys = this.keys;
    keys.length = 0;
    switch (o.kind) {
      case 'trace':
        if (rec.traceId) keys.push(`${rec.service}\u0000${rec.traceId}`);
        break;
      case 'attribute': {
        const v = rec.attributes?.[o.attribute];
        if (v !== undefined && v !== '') keys.push(`${rec.service}\u0000${String(v)}`);
        break;
      }
      case 'regex':
        this.regexKeys(rec);
        break;
      case 'window': {
        // Every window [start, start + windowMs) holding the record; start is a multiple of slideMs.
        const last = Math.floor(rec.timeMs / o.slideMs) * o.slideMs;
        for (let start = last; start > rec.timeMs - o.windowMs; start -= o.slideMs)
          keys.push(`${rec.service}\u0000window:${start}`);
        break;
      }
    }
    return keys.length;
  }

  private regexKeys(rec: SessionRecord): void {
    for (const key of this.regex!.all(rec.message ?? '')) {
      const id = `${rec.service}\u0000${key}`;
      if (!this.keys.includes(id)) this.keys.push(id);
    }
  }

  private append(id: string, rec: SessionRecord, now: number): void {
    let s = this.open.get(id);
    if (s)
      this.open.delete(id); // re-inserted below: now the most recently active
    else {
      s = this.create(id, rec);
      this.stats.opened++;
    }
    if (s.length === s.templates.length) this.grow(s);
    s.templates[s.length++] = rec.template;
    s.lastMs = Math.max(s.lastMs, rec.timeMs, this.options.kind === 'window' ? -Infinity : now);
    if (s.lastMs < this.oldestMs) this.oldestMs = s.lastMs;
    this.open.set(id, s);
    if (s.length >= this.options.maxEvents) this.close(s, 'size');
  }

  private create(id: string, rec: SessionRecord): Open {
    const o = this.options;
    const sep = id.indexOf('\u0000');
    const key = id.slice(sep + 1);
    const start = o.kind === 'window' ? Number(key.slice('window:'.length)) : rec.timeMs;
    const s: Open = {
      id,
      key,
      service: rec.service,
      templates: new Int32Array(INITIAL_CAPACITY),
      length: 0,
      firstMs: rec.timeMs,
      lastMs: rec.timeMs,
      endMs: o.kind === 'window' ? start + o.windowMs : Infinity,
    };
    this.stats.bytes += SESSION_OVERHEAD_BYTES + 2 * id.length + s.templates.byteLength;
    if (s.endMs < this.nextWindowEnd) this.nextWindowEnd = s.endMs;
    return s;
  }

  private grow(s: Open): void {
    const bigger = new Int32Array(Math.min(s.templates.length * 2, Math.max(this.options.maxEvents, INITIAL_CAPACITY)));
    bigger.set(s.templates);
    this.stats.bytes += bigger.byteLength - s.templates.byteLength;
    s.templates = bigger;
  }

  private enforceBounds(): void {
    const { maxOpen, maxBytes } = this.options;
    if (this.open.size <= maxOpen && this.stats.bytes <= maxBytes) return;
    for (const s of this.open.values()) {
      if (this.open.size <= maxOpen && this.stats.bytes <= maxBytes) break;
      this.close(s, 'evicted');
    }
  }

  private close(s: Open, reason: CloseReason): void {
    this.open.delete(s.id);
    this.stats.bytes -= SESSION_OVERHEAD_BYTES + 2 * s.id.length + s.templates.byteLength;
    if (reason === 'inactive') this.stats.closedInactive++;
    else if (reason === 'size') this.stats.closedSize++;
    else if (reason === 'window') this.stats.closedWindow++;
    else if (reason === 'evicted') this.stats.evicted++;
    this.onClose({
      key: s.key,
      service: s.service,
      templates: s.templates.slice(0, s.length),
      firstMs: s.firstMs,
      lastMs: s.lastMs,
      reason,
    });
  }
}
