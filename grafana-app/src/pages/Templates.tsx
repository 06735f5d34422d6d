import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Badge, Combobox, InteractiveTable, useStyles2 } from '@grafana/ui';
import type { ServiceSummary, TemplateInfo } from '@anomalog/shared';
import { api } from '../api/client';
import { LoadState } from '../components/common/States';

const NEW_WITHIN_MS = 24 * 3600 * 1000;
const RARE_SHARE = 0.001;

/** New = first seen in the last day; rare = under 0.1 % of the service's records. */
export function templateFlags(t: TemplateInfo, total: number, now = Date.now()) {
  return { isNew: now - Date.parse(t.firstSeen) < NEW_WITHIN_MS, isRare: total > 0 && t.count / total < RARE_SHARE };
}

/** ISO times in the user's time zone, as the Anomalies table shows them (sorting stays on the ISO text). */
const timeCell =
  (key: 'firstSeen' | 'lastSeen') =>
  ({ row }: { row: { original: TemplateInfo } }) =>
    dateTimeFormat(row.original[key], { format: 'YYYY-MM-DD HH:mm:ss' });

export function TemplatesPage() {
  const styles = useStyles2(getStyles);
  const [services, setServices] = useState<ServiceSummary[]>([]);
  const [service, setService] = useState<string>();
  const [templates, setTemplates] = useState<TemplateInfo[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();

  useEffect(() => {
    api
      .services()
      .then((list) => {
        setServices(list);
        setService((s) => s ?? list[0]?.service);
        if (list.length === 0) {
          setLoading(false);
        }
      })
      .catch((e) => {
        setError(e);
        setLoading(false);
      });
  }, []);

  useEffect(() => {
    if (!service) {
      return;
    }
    setLoading(true);
    api
      .templates(service)
      .then(setTemplates)
      .catch(setError)
      .finally(() => setLoading(false));
  }, [service]);

  const total = templates.reduce((sum, t) => sum + t.count, 0);
  const rows = templates.map((t) => ({ ...t, ...templateFlags(t, total) }));
  type Row = (typeof rows)[number];
  const columns = [
    {
      id: 'template',
      header: 'Template',
      cell: ({ row }: { row: { original: Row } }) => (
        <span>
          {row.original.isNew && <Badge text="new" color="orange" />}
          {row.original.isRare && <Badge text="rare" color="purple" />}
          {row.original.suppressed && (
            <Badge
              text="marked normal"
              color="green"
              tooltip="A user suppressed this template: it raises no anomalies"
            />
          )}{' '}
          <code>{row.original.template}</code>
        </span>
      ),
    },
    { id: 'count', header: 'Count', sortType: 'number' as const },
    { id: 'firstSeen', header: 'First seen', sortType: 'string' as const, cell: timeCell('firstSeen') },
    { id: 'lastSeen', header: 'Last seen', sortType: 'string' as const, cell: timeCell('lastSeen') },
  ];

  return (
    <div className={styles.page}>
      <Combobox
        width={40}
        placeholder="Service"
        options={services.map((s) => ({ label: s.service, value: s.service }))}
        value={service ?? null}
        onChange={(o) => setService(o?.value)}
      />
      <LoadState
        loading={loading}
        error={error}
        empty={rows.length === 0}
        emptyText="No templates yet: the processor has not seen logs for this service."
      />
      {!loading && !error && rows.length > 0 && (
        <InteractiveTable columns={columns} data={rows} getRowId={(r: Row) => r.templateId} />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
