import { dateTime, rangeUtil, type RawTimeRange, type TimeRange } from '@grafana/data';

const EPOCH_MS = /^\d{10,}$/;

/** A URL value ("now-6h" or epoch ms, Grafana's own convention) as a raw picker value. */
function rawValue(value: string) {
  return EPOCH_MS.test(value) ? dateTime(Number(value)) : value;
}

/** The URL's from/to as a resolved time range (relative ranges resolve against now). */
export function toTimeRange(from: string, to: string): TimeRange {
  const raw: RawTimeRange = { from: rawValue(from), to: rawValue(to) };
  return rangeUtil.convertRawToRange(raw);
}

/** A picked range as URL values: relative stays relative ("now-1h"), absolute becomes epoch ms. */
export function toUrlValues(range: TimeRange): { from: string; to: string } {
  const text = (v: RawTimeRange['from'], resolved: TimeRange['from']) =>
    typeof v === 'string' ? v : String(resolved.valueOf());
  return { from: text(range.raw.from, range.from), to: text(range.raw.to, range.to) };
}

/** Shift by half the span (what Grafana's arrows do); direction -1 goes back in time. */
export function shiftRange(range: TimeRange, direction: 1 | -1): { from: string; to: string } {
  const from = range.from.valueOf();
  const to = range.to.valueOf();
  const step = ((to - from) / 2) * direction;
  return { from: String(Math.round(from + step)), to: String(Math.round(to + step)) };
}

/** Zoom out: twice the span around the same centre. */
export function zoomOut(range: TimeRange): { from: string; to: string } {
  const from = range.from.valueOf();
  const to = range.to.valueOf();
  const half = (to - from) / 2;
  return { from: String(Math.round(from - half)), to: String(Math.round(to + half)) };
}
