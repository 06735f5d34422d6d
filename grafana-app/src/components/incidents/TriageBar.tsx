import React, { useEffect } from 'react';
import { rangeUtil } from '@grafana/data';
import { RadioButtonGroup, RefreshPicker, Stack } from '@grafana/ui';
import type { AnomalyView } from '../../state/anomalyView';

const VIEWS = [
  { label: 'Incidents', value: 'incidents' as const },
  { label: 'Records', value: 'records' as const },
  { label: 'Suppressions', value: 'suppressions' as const },
];

/** Which view of the anomalies, and Grafana's refresh picker (manual or every N seconds). */
export function TriageBar({
  view,
  onView,
  refresh,
  onRefreshInterval,
  onRefresh,
}: {
  view: AnomalyView;
  onView: (view: AnomalyView) => void;
  /** "" (off) or an interval like "30s". */
  refresh: string;
  onRefreshInterval: (interval: string) => void;
  onRefresh: () => void;
}) {
  useEffect(() => {
    if (!refresh) {
      return;
    }
    const ms = safeMs(refresh);
    if (!ms) {
      return;
    }
    const timer = setInterval(onRefresh, ms);
    return () => clearInterval(timer);
  }, [refresh, onRefresh]);
  return (
    <Stack justifyContent="space-between" alignItems="center">
      <RadioButtonGroup options={VIEWS} value={view} onChange={onView} size="sm" />
      <RefreshPicker value={refresh} onIntervalChanged={onRefreshInterval} onRefresh={onRefresh} tooltip="Refresh" />
    </Stack>
  );
}

function safeMs(interval: string): number | undefined {
  try {
    const ms = rangeUtil.intervalToMs(interval);
    return ms >= 1000 ? ms : undefined;
  } catch {
    return undefined;
  }
}
