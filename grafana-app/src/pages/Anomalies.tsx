import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Drawer, Input, InteractiveTable, Button, LinkButton, Stack, useStyles2 } from '@grafana/ui';
import type { Anomaly, AnomalyDetail } from '@anomalog/shared';
import { api } from '../api/client';
import { LoadState } from '../components/common/States';

const EXPLORE_MARGIN_MS = 5 * 60 * 1000;

/** Explore (Loki) over the minutes around the anomaly, filtered to its service. */
export function exploreUrl(anomaly: Anomaly): string {
  const at = Date.parse(anomaly.time);
  const pane = {
    datasource: 'loki',
    queries: [{ refId: 'A', expr: `{service_name="${anomaly.service}"}` }],
    range: { from: String(at - EXPLORE_MARGIN_MS), to: String(at + EXPLORE_MARGIN_MS) },
  };
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ a: pane }))}`;
}

export function AnomaliesPage() {
  const styles = useStyles2(getStyles);
  const [service, setService] = useState('');
  const [items, setItems] = useState<Anomaly[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [detail, setDetail] = useState<AnomalyDetail>();

  useEffect(() => {
    setLoading(true);
    api
      .anomalies({ service, sort: 'time', order: 'desc', limit: 200 })
      .then((page) => {
        setItems(page.items);
        setError(undefined);
      })
      .catch(setError)
      .finally(() => setLoading(false));
  }, [service]);

  const columns = [
    { id: 'time', header: 'Time', sortType: 'string' as const },
    { id: 'service', header: 'Service', sortType: 'string' as const },
    {
      id: 'template',
      header: 'Template',
      cell: ({ row }: { row: { original: Anomaly } }) => (
        <Button size="sm" fill="text" onClick={() => api.anomaly(row.original.id).then(setDetail).catch(setError)}>
          {row.original.template}
        </Button>
      ),
    },
    { id: 'score', header: 'Score', sortType: 'number' as const },
    { id: 'detector', header: 'Detector' },
    { id: 'reason', header: 'Reason' },
  ];

  return (
    <div className={styles.page}>
      <Stack>
        <Input placeholder="Filter by service" value={service} onChange={(e) => setService(e.currentTarget.value)} />
      </Stack>
      <LoadState
        loading={loading}
        error={error}
        empty={items.length === 0}
        emptyText="No anomalies in this range. Widen the time range or check that the processor receives logs."
      />
      {!loading && !error && items.length > 0 && (
        <InteractiveTable columns={columns} data={items} getRowId={(a: Anomaly) => a.id} />
      )}
      {detail && (
        <Drawer title={`${detail.service}: ${detail.template}`} onClose={() => setDetail(undefined)}>
          <pre>{detail.message}</pre>
          <p>{detail.explanation.reason}</p>
          {detail.context.map((line) => (
            <div key={`${line.time}-${line.templateId}`} className={line.isAnomaly ? styles.hot : undefined}>
              {line.time} {line.message}
            </div>
          ))}
          <Stack>
            <Button
              onClick={() => api.feedback({ kind: 'anomaly-normal', service: detail.service, anomalyId: detail.id })}
            >
              Mark as normal
            </Button>
            <Button
              variant="secondary"
              onClick={() =>
                api.feedback({ kind: 'template-normal', service: detail.service, templateId: detail.templateId })
              }
            >
              Suppress template
            </Button>
            <LinkButton variant="secondary" icon="compass" href={exploreUrl(detail)}>
              Open in Explore
            </LinkButton>
          </Stack>
        </Drawer>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  hot: css({ color: theme.colors.error.text }),
});
