import type { LogRecord } from './types';

/** A record's time in ms: its event time, else its observed time, else when the request arrived. */
export function recordTimeMs(r: LogRecord, receivedAtMs: number): number {
  const ns = r.timeUnixNano || r.observedTimeUnixNano;
  return ns ? Number(ns / 1_000_000n) : receivedAtMs;
}
