/** Anomaly counts per service in equal time buckets between from and to (epoch ms). */
export interface CountGrid {
  services: string[];
  /** counts[serviceIndex][bucketIndex] */
  counts: number[][];
  bucketMs: number;
  /** The tallest stacked bar. */
  max: number;
}

export function bucketCounts(
  items: ReadonlyArray<{ time: string; service: string }>,
  from: number,
  to: number,
  buckets: number,
): CountGrid {
  const span = Math.max(1, to - from);
  const bucketMs = span / buckets;
  const services = [...new Set(items.map((i) => i.service))].sort();
  const row = new Map(services.map((s, i) => [s, i]));
  const counts = services.map(() => new Array<number>(buckets).fill(0));
  for (const item of items) {
    const at = Date.parse(item.time);
    if (!(at >= from && at <= to)) {
      continue;
    }
    const bucket = Math.min(buckets - 1, Math.floor((at - from) / bucketMs));
    counts[row.get(item.service)!][bucket] += 1;
  }
  let max = 0;
  for (let b = 0; b < buckets; b++) {
    max = Math.max(
      max,
      counts.reduce((sum, c) => sum + c[b], 0),
    );
  }
  return { services, counts, bucketMs, max };
}

/** Counts of scores per (time bucket, score band) for a heatmap; scores are clamped to [0, 1]. */
export function scoreHeat(
  items: ReadonlyArray<{ time: string; score: number }>,
  from: number,
  to: number,
  buckets: number,
  bands: number,
): { cells: number[][]; max: number } {
  const bucketMs = Math.max(1, to - from) / buckets;
  const cells = Array.from({ length: buckets }, () => new Array<number>(bands).fill(0));
  let max = 0;
  for (const item of items) {
    const at = Date.parse(item.time);
    if (!(at >= from && at <= to)) {
      continue;
    }
    const b = Math.min(buckets - 1, Math.floor((at - from) / bucketMs));
    const band = Math.min(bands - 1, Math.floor(Math.min(1, Math.max(0, item.score)) * bands));
    cells[b][band] += 1;
    max = Math.max(max, cells[b][band]);
  }
  return { cells, max };
}

/** About `count` evenly spaced tick times within [from, to]. */
export function timeTicks(from: number, to: number, count: number): number[] {
  const step = (to - from) / count;
  return Array.from({ length: count + 1 }, (_, i) => Math.round(from + i * step));
}
