import type { Anomaly } from '@anomalog/shared';

/** The Loki data source the stack provisions (provisioning/datasources/datasources.yaml). */
export const LOKI_UID = 'anomalog-loki';
const MARGIN_MS = 5 * 60 * 1000;

/** Explore (Loki) over the minutes around the anomaly, filtered to its service. */
export function exploreUrl(anomaly: Pick<Anomaly, 'time' | 'service'>): string {
  const at = Date.parse(anomaly.time);
  const pane = {
    datasource: LOKI_UID,
    queries: [{ refId: 'A', datasource: { type: 'loki', uid: LOKI_UID }, expr: `{service_name="${anomaly.service}"}` }],
    range: { from: String(at - MARGIN_MS), to: String(at + MARGIN_MS) },
  };
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ a: pane }))}`;
}
