import type { LogRecord, LogsData, ResourceLogs, ScopeLogs } from '../otlp/types';

/**
 * Cuts a request into consecutive slices for the annotation chain, so that a large request runs
 * through the chain a slice per event-loop turn and other requests, the API and timers get turns in
 * between (pipeline.ts). A slice is a view: its resources and scopes are shallow copies holding a
 * run of the original records (the same objects, so annotations land on the request itself), in
 * the request's order.
 *
 * A slice is bounded by weight, an estimate of the chain's work: `RECORD_WEIGHT` units a record, one
 * more per `BYTES_PER_UNIT` of the record (long lines cost the miner their length), and
 * `RESOURCE_WEIGHT` for each resource and scope (a service seen for the first time costs state and a
 * store read). How much weight a turn takes is paced by the time slices took (SlicePace), so the
 * units only need to be right relative to each other: a request of short lines after one of long
 * lines then gets slices of about the same time.
 */
const BYTES_PER_UNIT = 128;
/** A record's own work (parse, score, annotate, encode) costs several times that of 128 bytes of its text. */
const RECORD_WEIGHT = 4;
const RESOURCE_WEIGHT = 16;

/** The chain-work estimate of one record; no allocation. */
export function recordWeight(record: LogRecord): number {
  const bytes = record.wire?.length ?? record.body?.stringValue?.length ?? 0;
  return RECORD_WEIGHT + Math.floor(bytes / BYTES_PER_UNIT);
}

export interface Slice {
  data: LogsData;
  recordCount: number;
  weight: number;
  /** The request's own ScopeLogs of each scope of `data`, in order (its copies'); absent when `data` is the request. */
  scopes?: ScopeLogs[];
}

/** Hands out a request's slices in order, each of the weight asked for (a record heavier alone). */
export class Slicer {
  private resource = 0;
  private scope = 0;
  private record = 0;
  private started = false;
  private done = false;

  constructor(
    private readonly data: LogsData,
    private readonly recordCount: number,
  ) {}

  /** The next slice of at most `maxWeight`, or undefined after the last; a light request is one slice, itself. */
  next(maxWeight: number): Slice | undefined {
    if (this.done) return undefined;
    if (!this.started) {
      this.started = true;
      const whole = weightOf(this.data, maxWeight);
      if (whole <= maxWeight) {
        this.done = true;
        return { data: this.data, recordCount: this.recordCount, weight: whole };
      }
    }
    const resources = this.data.resourceLogs;
    const out: ResourceLogs[] = [];
    const scopes: ScopeLogs[] = [];
    let weight = 0;
    let records = 0;
    const full = () => weight >= maxWeight && records > 0;
    for (; this.resource < resources.length; this.resource++, this.scope = 0) {
      if (full()) return { data: { resourceLogs: out }, recordCount: records, weight, scopes };
      const rl = resources[this.resource];
      let copy: ResourceLogs | undefined;
      if (this.scope === 0 && this.record === 0) weight += RESOURCE_WEIGHT;
      for (; this.scope < rl.scopeLogs.length; this.scope++, this.record = 0) {
        const sl = rl.scopeLogs[this.scope];
        const logRecords = sl.logRecords;
        if (this.record === 0) weight += RESOURCE_WEIGHT;
        const from = this.record;
        while (this.record < logRecords.length && !full()) {
          weight += recordWeight(logRecords[this.record++]);
          records++;
        }
        if (this.record > from || logRecords.length === 0) {
          if (copy === undefined) out.push((copy = { ...rl, scopeLogs: [] }));
          copy.scopeLogs.push({ ...sl, logRecords: logRecords.slice(from, this.record) });
          scopes.push(sl);
        }
        if (this.record < logRecords.length)
          return { data: { resourceLogs: out }, recordCount: records, weight, scopes };
      }
    }
    this.done = true;
    return out.length > 0 ? { data: { resourceLogs: out }, recordCount: records, weight, scopes } : undefined;
  }
}

/** Every slice of a request at one weight (tests, and callers without pacing). */
export function sliceRequest(data: LogsData, recordCount: number, maxWeight: number): Slice[] {
  const slicer = new Slicer(data, recordCount);
  const slices: Slice[] = [];
  for (let s = slicer.next(maxWeight); s; s = slicer.next(maxWeight)) slices.push(s);
  return slices;
}

/** The request's weight, counted only until it passes `limit`. */
function weightOf(data: LogsData, limit: number): number {
  let weight = 0;
  for (const rl of data.resourceLogs) {
    weight += RESOURCE_WEIGHT;
    for (const scope of rl.scopeLogs) {
      weight += RESOURCE_WEIGHT;
      for (const r of scope.logRecords) {
        weight += recordWeight(r);
        if (weight > limit) return weight;
      }
    }
  }
  return weight;
}

/** Wall time one slice of the chain should take. */
const TARGET_SLICE_MS = 15;
const MIN_WEIGHT = 256;
const MAX_WEIGHT = 8192;
/**
 * Before any slice was timed, the smallest: nothing says yet what a record costs here, and the first
 * slices of a process run in code the JIT has not optimised yet, several times slower per record.
 */
export const DEFAULT_SLICE_WEIGHT = MIN_WEIGHT;

/**
 * How much weight a turn takes: the weight that took about TARGET_SLICE_MS in the slices so far (a
 * moving average of milliseconds per unit, which a slower slice sets at once and quicker ones lower
 * gradually). On a loaded machine, or for records that cost more than their weight says, slices
 * shrink from the next one on and the loop still turns every few tens of milliseconds. Only slices
 * of some size are measured: a small request's fixed costs say nothing of a record's.
 */
export class SlicePace {
  private msPerUnit: number | undefined;

  weight(): number {
    if (this.msPerUnit === undefined) return DEFAULT_SLICE_WEIGHT;
    return Math.max(MIN_WEIGHT, Math.min(MAX_WEIGHT, Math.round(TARGET_SLICE_MS / this.msPerUnit)));
  }

  observe(weight: number, ms: number): void {
    if (weight < MIN_WEIGHT) return;
    const m = Math.max(ms, 0.01) / weight;
    if (this.msPerUnit === undefined || m > this.msPerUnit) this.msPerUnit = m;
    else this.msPerUnit = 0.7 * this.msPerUnit + 0.3 * m;
  }
}
