import type { LogRecord, LogsData, ResourceLogs, ScopeLogs } from '../otlp/types';

/**
 * Cuts a request into consecutive slices for the annotation chain, so that a large request runs
 * through the chain a slice per event-loop turn and other requests, the API and timers get turns in
 * between (pipeline.ts). A slice is a view: its resources and scopes are shallow copies holding a
 * run of the original records (the same objects, so annotations land on the request itself), in
 * the request's order.
 *
 * A slice is bounded by weight, an estimate of the chain's work: one unit a record, one more per
 * `BYTES_PER_UNIT` of the record (long lines cost the miner their length), and `RESOURCE_WEIGHT` for
 * each resource and scope (a service seen for the first time costs state and a store read).
 */
export const DEFAULT_SLICE_WEIGHT = 2048;

const BYTES_PER_UNIT = 128;
const RESOURCE_WEIGHT = 16;

/** The chain-work estimate of one record; no allocation. */
export function recordWeight(record: LogRecord): number {
  const bytes = record.wire?.length ?? record.body?.stringValue?.length ?? 0;
  return 1 + Math.floor(bytes / BYTES_PER_UNIT);
}

export interface Slice {
  data: LogsData;
  recordCount: number;
}

/** The request as slices of at most `maxWeight` (a single record heavier than that is a slice alone). */
export function sliceRequest(data: LogsData, recordCount: number, maxWeight = DEFAULT_SLICE_WEIGHT): Slice[] {
  if (weightOf(data, maxWeight) <= maxWeight) return [{ data, recordCount }];
  const slices: Slice[] = [];
  let current: ResourceLogs[] = [];
  let records = 0;
  let weight = 0;
  let openResource: ResourceLogs | undefined;
  const close = () => {
    if (records === 0 && current.length === 0) return;
    slices.push({ data: { resourceLogs: current }, recordCount: records });
    current = [];
    records = 0;
    weight = 0;
    openResource = undefined;
  };
  /** Adds `scope`'s records [from, to) to the slice under way, in a copy of their resource. */
  const add = (rl: ResourceLogs, scope: ScopeLogs, from: number, to: number) => {
    if (openResource === undefined) current.push((openResource = { ...rl, scopeLogs: [] }));
    openResource.scopeLogs.push({ ...scope, logRecords: scope.logRecords.slice(from, to) });
    records += to - from;
  };
  for (const rl of data.resourceLogs) {
    openResource = undefined;
    weight += RESOURCE_WEIGHT;
    for (const scope of rl.scopeLogs) {
      weight += RESOURCE_WEIGHT;
      const logRecords = scope.logRecords;
      let from = 0;
      for (let i = 0; i < logRecords.length; i++) {
        weight += recordWeight(logRecords[i]);
        if (weight >= maxWeight) {
          add(rl, scope, from, i + 1);
          from = i + 1;
          close();
        }
      }
      if (from < logRecords.length || logRecords.length === 0) add(rl, scope, from, logRecords.length);
    }
  }
  close();
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
