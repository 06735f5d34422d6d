import type { AggregateAnswer } from '@anomalog/shared';
import type { CountGrid } from './buckets';

/** The server's aggregate buckets re-binned into `buckets` equal ones between from and to, per service. */
export function gridFromAggregate(answer: AggregateAnswer, from: number, to: number, buckets: number): CountGrid {
  const span = Math.max(1, to - from);
  const bucketMs = span / buckets;
  const services = [...new Set(answer.buckets.map((b) => b.service))].sort();
  const row = new Map(services.map((s, i) => [s, i]));
  const counts = services.map(() => new Array<number>(buckets).fill(0));
  for (const b of answer.buckets) {
    // A server bucket counts where its middle falls (it may be wider than ours on long ranges).
    const mid = b.t + answer.stepMs / 2;
    const at = Math.min(to, Math.max(from, mid));
    const i = Math.min(buckets - 1, Math.floor((at - from) / bucketMs));
    counts[row.get(b.service)!][i] += b.count;
  }
  let max = 0;
  for (let i = 0; i < buckets; i++) {
    max = Math.max(
      max,
      counts.reduce((sum, c) => sum + c[i], 0),
    );
  }
  return { services, counts, bucketMs, max };
}
