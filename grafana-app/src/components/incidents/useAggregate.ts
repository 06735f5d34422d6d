import { useEffect, useState } from 'react';
import type { AggregateAnswer } from '@anomalog/shared';
import { triageApi } from '../../api/triage';
import { BUCKETS } from '../charts/CountsChart';
import { gridFromAggregate } from '../charts/aggregateGrid';
import type { CountGrid } from '../charts/buckets';

/**
 * Anomaly counts over the whole range from the server's aggregates (no page limit), for the timeline;
 * undefined while loading or when the processor has no aggregate endpoint (the chart counts its rows).
 */
export function useAggregateCounts(
  from: number,
  to: number,
  filter: { service?: string; detector?: string },
  reload: number,
): CountGrid | undefined {
  const [grid, setGrid] = useState<CountGrid>();
  useEffect(() => {
    let live = true;
    triageApi
      .aggregate({
        from: String(from),
        to: String(to),
        stepMs: Math.max(1000, Math.floor((to - from) / BUCKETS)),
        service: filter.service || undefined,
        detector: filter.detector || undefined,
      })
      .then((answer: AggregateAnswer) => live && setGrid(gridFromAggregate(answer, from, to, BUCKETS)))
      .catch(() => live && setGrid(undefined));
    return () => {
      live = false;
    };
  }, [from, to, filter.service, filter.detector, reload]);
  return grid;
}
