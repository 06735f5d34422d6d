import React, { useEffect, useState } from 'react';
import { Stack, Text } from '@grafana/ui';
import { BENCHMARK_CANCELLED, type BenchmarkRun } from '@anomalog/shared';

const seconds = (run: BenchmarkRun, now: number) => Math.max(0, Math.round((now - Date.parse(run.startedAt)) / 1000));

/**
 * A run's state: while it runs, the share the processor reports, its current step and the time since it
 * started (ticking each second, so a step that reports no share still shows it is moving); at the end,
 * the outcome.
 */
export function RunProgress({ run }: { run: BenchmarkRun }) {
  const running = run.state === 'queued' || run.state === 'running';
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!running) {
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  const label = run.name ? `${run.name}: ` : '';
  if (!running) {
    const state = run.state === 'failed' && run.message === BENCHMARK_CANCELLED ? 'cancelled at' : run.state;
    return <span>{`${label}Run ${state} ${Math.round(run.progress * 100)} %`}</span>;
  }
  return (
    <Stack gap={1} alignItems="center">
      <progress aria-label="Benchmark progress" max={1} value={run.progress} />
      <span>{`${label}Run ${run.state} ${Math.round(run.progress * 100)} %, ${seconds(run, now)} s`}</span>
      {run.message && <Text color="secondary">{run.message}</Text>}
    </Stack>
  );
}
