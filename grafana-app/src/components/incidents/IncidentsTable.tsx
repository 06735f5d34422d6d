import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Button, InteractiveTable, Select, Stack, Text, useStyles2, type BadgeColor } from '@grafana/ui';
import type { Incident, IncidentDetail, IncidentStatus } from '@anomalog/shared';
import { triageApi } from '../../api/triage';
import { canWrite, NEEDS_EDITOR } from '../../state/permissions';
import { SuppressedBadge } from '../anomalies/SuppressedBadge';
import { RetrainButton } from './RetrainButton';

const STATUS_COLOR: Record<IncidentStatus, BadgeColor> = {
  open: 'red',
  acknowledged: 'orange',
  resolved: 'green',
  normal: 'blue',
};
const STATUS_TEXT: Record<IncidentStatus, string> = {
  open: 'open',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
  normal: 'normal',
};
/** How long "Mark normal" mutes: until undone, or for a while (a deploy, a maintenance). */
const MUTE_OPTIONS = [
  { label: 'until undone', value: 0 },
  { label: 'for 1 hour', value: 3600 },
  { label: 'for 24 hours', value: 86400 },
  { label: 'for 7 days', value: 604800 },
];

type Cell = { row: { original: Incident } };
const time = (iso: string) => dateTimeFormat(iso, { format: 'YYYY-MM-DD HH:mm:ss' });

/**
 * Incidents newest first: what is anomalous, since when, how often and how strongly. A row expands to
 * its anomalies (each opens the anomaly drawer) and to the triage actions.
 */
export function IncidentsTable({
  incidents,
  onOpenAnomaly,
  onChanged,
  selectedId,
}: {
  incidents: Incident[];
  onOpenAnomaly: (id: string) => void;
  /** After a status change or a suppression: the page reloads what depends on it. */
  onChanged: () => void;
  /** An incident opened by URL (?incident=…): shown expanded first. */
  selectedId?: string;
}) {
  const columns = [
    {
      id: 'lastSeen',
      header: 'Last seen',
      sortType: 'string' as const,
      cell: ({ row }: Cell) => time(row.original.lastSeen),
    },
    { id: 'service', header: 'Service', sortType: 'string' as const },
    {
      id: 'template',
      header: 'What',
      cell: ({ row }: Cell) => (
        <Stack direction="column" gap={0}>
          <Text>{row.original.template || row.original.groupKey}</Text>
          <Text color="secondary" variant="bodySmall" truncate>
            {row.original.sampleMessage}
          </Text>
        </Stack>
      ),
    },
    { id: 'count', header: 'Anomalies', sortType: 'number' as const },
    {
      id: 'peakScore',
      header: 'Peak score',
      sortType: 'number' as const,
      cell: ({ row }: Cell) => row.original.peakScore.toFixed(3),
    },
    { id: 'detectors', header: 'Detectors', cell: ({ row }: Cell) => row.original.detectors.join(', ') },
    {
      id: 'firstSeen',
      header: 'Since',
      sortType: 'string' as const,
      cell: ({ row }: Cell) => time(row.original.firstSeen),
    },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row }: Cell) => (
        <Badge color={STATUS_COLOR[row.original.status]} text={STATUS_TEXT[row.original.status]} />
      ),
    },
  ];
  const ordered = selectedId
    ? [...incidents.filter((i) => i.id === selectedId), ...incidents.filter((i) => i.id !== selectedId)]
    : incidents;
  return (
    <InteractiveTable
      columns={columns}
      data={ordered}
      getRowId={(i: Incident) => i.id}
      pageSize={20}
      renderExpandedRow={(i: Incident) => (
        <IncidentRecords incident={i} onOpenAnomaly={onOpenAnomaly} onChanged={onChanged} />
      )}
    />
  );
}

/** One incident opened: its actions and its anomalies. */
export function IncidentRecords({
  incident,
  onOpenAnomaly,
  onChanged,
}: {
  incident: Incident;
  onOpenAnomaly: (id: string) => void;
  onChanged: () => void;
}) {
  const styles = useStyles2(getStyles);
  const [detail, setDetail] = useState<IncidentDetail>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const [muteFor, setMuteFor] = useState(0);
  const [onlyDetector, setOnlyDetector] = useState<string>('');
  const writable = canWrite();

  useEffect(() => {
    triageApi
      .incident(incident.id)
      .then((d) => {
        setDetail(d);
        setError(undefined);
      })
      .catch(setError);
  }, [incident.id, reload]);

  const act = (what: () => Promise<unknown>) => {
    setBusy(true);
    what()
      .then(() => {
        setReload((n) => n + 1);
        onChanged();
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };
  const status = detail?.status ?? incident.status;
  const active = (detail?.suppressions ?? []).filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > Date.now());
  const markNormal = () =>
    act(() =>
      triageApi.suppress({
        service: incident.service,
        templateId: incident.templateId,
        incidentId: incident.id,
        anomalyId: detail?.records.find((r) => r.templateId === incident.templateId)?.id,
        ...(onlyDetector ? { detector: onlyDetector } : {}),
        ...(muteFor ? { durationS: muteFor } : {}),
      }),
    );
  const undo = () => act(() => Promise.all(active.map((s) => triageApi.unsuppress(s.id))));

  return (
    <div className={styles.expanded} aria-label={`Incident ${incident.id}`}>
      {error && (
        <Alert severity="error" title="Incident not updated">
          {error.message}
        </Alert>
      )}
      <Stack gap={1} alignItems="center" wrap="wrap">
        {status !== 'acknowledged' && status !== 'normal' && (
          <Button
            size="sm"
            variant="secondary"
            disabled={!writable || busy}
            tooltip={writable ? undefined : NEEDS_EDITOR}
            onClick={() => act(() => triageApi.setStatus(incident.id, 'acknowledged'))}
          >
            Acknowledge
          </Button>
        )}
        {status !== 'resolved' && (
          <Button
            size="sm"
            variant="secondary"
            disabled={!writable || busy}
            tooltip={writable ? undefined : NEEDS_EDITOR}
            onClick={() => act(() => triageApi.setStatus(incident.id, 'resolved'))}
          >
            Resolve
          </Button>
        )}
        {active.length === 0 ? (
          <>
            <Select
              aria-label="Mute duration"
              width={18}
              options={MUTE_OPTIONS}
              value={muteFor}
              onChange={(v) => setMuteFor(v.value ?? 0)}
            />
            <Select
              aria-label="Mute which detector"
              width={24}
              options={[
                { label: 'every detector', value: '' },
                ...incident.detectors.map((d) => ({ label: `only ${d}`, value: d })),
              ]}
              value={onlyDetector}
              onChange={(v) => setOnlyDetector(v.value ?? '')}
            />
            <Button
              size="sm"
              variant="primary"
              icon="eye-slash"
              disabled={!writable || busy || !detail}
              tooltip={
                writable
                  ? 'New records of this service and template are not flagged from now on; the next training learns them as normal'
                  : NEEDS_EDITOR
              }
              onClick={markNormal}
            >
              Mark normal
            </Button>
          </>
        ) : (
          <>
            <SuppressedBadge />
            <Text color="secondary">
              {`Suppressed${active[0].detector ? ` for ${active[0].detector}` : ''} ${
                active[0].expiresAt ? `until ${time(active[0].expiresAt)}` : 'until undone'
              }: matching records pass as normal.`}
            </Text>
            <Button size="sm" variant="secondary" icon="history" disabled={!writable || busy} onClick={undo}>
              Undo
            </Button>
          </>
        )}
        <RetrainButton service={incident.service} />
        <Text color="secondary" variant="bodySmall">
          {incident.sessionId ? `session ${incident.sessionId} · ` : ''}
          {`template ${incident.templateId}`}
        </Text>
      </Stack>
      {detail && (
        <table className={styles.records} aria-label="Incident anomalies">
          <tbody>
            {detail.records.map((r) => (
              <tr key={r.id}>
                <td className={styles.nowrap}>{time(r.time)}</td>
                <td className={styles.nowrap}>{r.score.toFixed(3)}</td>
                <td className={styles.nowrap}>{r.detector}</td>
                <td>
                  <Button size="sm" fill="text" onClick={() => onOpenAnomaly(r.id)} tooltip="Explanation and context">
                    {r.message}
                  </Button>
                  {r.suppressed && <SuppressedBadge />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {detail && detail.count > detail.records.length && (
        <Text color="secondary">{`The newest ${detail.records.length} of ${detail.count} anomalies.`}</Text>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  expanded: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), padding: theme.spacing(1, 2) }),
  records: css({
    width: '100%',
    fontSize: theme.typography.bodySmall.fontSize,
    td: { padding: theme.spacing(0.25, 1) },
  }),
  nowrap: css({ whiteSpace: 'nowrap' }),
});
