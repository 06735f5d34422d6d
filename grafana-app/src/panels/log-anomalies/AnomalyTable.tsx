import React from 'react';
import { dateTimeFormat } from '@grafana/data';
import { InteractiveTable, LinkButton } from '@grafana/ui';
import type { Anomaly } from '@anomalog/shared';
import { PLUGIN_BASE_URL, ROUTES } from '../../constants';
import { SuppressedBadge } from '../../components/anomalies/SuppressedBadge';

type Cell = { row: { original: Anomaly } };
const AROUND_MS = 5 * 60 * 1000;

/** The app's Anomalies page around one anomaly, filtered to its service. */
export function anomalyPageUrl(a: Pick<Anomaly, 'time' | 'service'>): string {
  const at = Date.parse(a.time);
  const query = new URLSearchParams({
    from: String(at - AROUND_MS),
    to: String(at + AROUND_MS),
    'var-service': a.service,
  });
  return `${PLUGIN_BASE_URL}/${ROUTES.Anomalies}?${query}`;
}

const COLUMNS = [
  {
    id: 'time',
    header: 'Time',
    sortType: 'string' as const,
    cell: ({ row }: Cell) => dateTimeFormat(row.original.time, { format: 'YYYY-MM-DD HH:mm:ss' }),
  },
  { id: 'service', header: 'Service', sortType: 'string' as const },
  {
    id: 'template',
    header: 'Template',
    cell: ({ row }: Cell) => (
      <>
        <LinkButton size="sm" fill="text" href={anomalyPageUrl(row.original)} tooltip="Open in the Anomalies page">
          {row.original.template}
        </LinkButton>
        {row.original.suppressed && <SuppressedBadge />}
      </>
    ),
  },
  { id: 'score', header: 'Score', sortType: 'number' as const, cell: ({ row }: Cell) => row.original.score.toFixed(3) },
  { id: 'detector', header: 'Detector', sortType: 'string' as const },
  { id: 'reason', header: 'Reason' },
];

/** Table mode: newest first; the template links to the app's Anomalies page around that anomaly. */
export function AnomalyTable({ items }: { items: Anomaly[] }) {
  return <InteractiveTable columns={COLUMNS} data={items} getRowId={(a: Anomaly) => a.id} pageSize={50} />;
}
