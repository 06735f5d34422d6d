import React, { useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Button, ClipboardButton, Drawer, LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';
import type { AnomalyDetail } from '@anomalog/shared';
import { api } from '../../api/client';
import { canWrite, NEEDS_EDITOR } from '../../state/permissions';
import { useAppSettings } from '../../state/appSettings';
import { exploreUrl } from './explore';
import { NearestTemplates } from './NearestTemplates';
import { ContextLines } from './ContextLines';
import { CountDeviations } from './CountDeviations';
import { RecordAttributes, severityColor } from './RecordAttributes';

export type Action = 'anomaly-normal' | 'template-normal';
/** What each action really does (collector-processor lifecycle/manager.ts feedback()). */
const DONE_TEXT: Record<Action, string> = {
  'anomaly-normal':
    'Marked as normal: this anomaly is badged in the list. Its template counts as normal from the next training (Models page, Train / retrain); until then records like it are still flagged.',
  'template-normal': 'Template suppressed: its records no longer raise anomalies.',
};
const NO_LOKI = 'Choose the Loki data source on the app configuration page to open the logs in Explore.';

/** The anomaly's record, its session context, the detector's explanation and the feedback actions. */
export function AnomalyDrawer({
  detail,
  onClose,
  shareUrl,
  onFeedback,
}: {
  detail: AnomalyDetail;
  onClose: () => void;
  /** Called once the processor accepted the feedback, so the list can badge what it suppressed. */
  onFeedback?: (kind: Action) => void;
  /** A link that opens this page with this drawer open. */
  shareUrl?: string;
}) {
  const styles = useStyles2(getStyles);
  const { lokiDatasourceUid } = useAppSettings();
  const [done, setDone] = useState<Action[]>([]);
  const writable = canWrite();
  const [error, setError] = useState<Error>();
  const send = (kind: Action) =>
    api
      .feedback(
        kind === 'anomaly-normal'
          ? { kind, service: detail.service, anomalyId: detail.id }
          : { kind, service: detail.service, templateId: detail.templateId },
      )
      .then(() => {
        setDone((list) => [...list, kind]);
        onFeedback?.(kind);
      })
      .catch(setError);
  const { explanation } = detail;
  const maxWeight = Math.max(1e-9, ...(explanation.features ?? []).map((f) => Math.abs(f.weight)));

  return (
    <Drawer
      title={detail.template}
      subtitle={
        <Stack gap={1} alignItems="center" wrap="wrap">
          <Badge color="red" text={`score ${detail.score.toFixed(3)}`} />
          <Badge color="blue" text={detail.detector} />
          {detail.severityText && (
            <Badge color={severityColor(detail.severityText)} text={`severity ${detail.severityText}`} />
          )}
          <Text color="secondary">
            {detail.service} · {dateTimeFormat(detail.time, { format: 'YYYY-MM-DD HH:mm:ss' })}
            {detail.sessionId ? ` · session ${detail.sessionId}` : ''}
          </Text>
        </Stack>
      }
      onClose={onClose}
      size="md"
    >
      <Stack direction="column" gap={2}>
        <section aria-label="Record">
          <h4>Record</h4>
          <pre className={styles.code}>{detail.message}</pre>
        </section>
        <section aria-label="Attributes">
          <h4>Attributes</h4>
          <RecordAttributes attributes={detail.attributes} />
        </section>
        <section aria-label="Explanation">
          <h4>Why it is anomalous</h4>
          <p>{explanation.reason}</p>
          {explanation.features?.map((f) => (
            <div key={f.name} className={styles.feature}>
              <span className={styles.featureName}>{f.name}</span>
              <span className={styles.bar} style={{ width: `${(Math.abs(f.weight) / maxWeight) * 100}%` }} />
              <span>{f.weight.toFixed(3)}</span>
            </div>
          ))}
          {explanation.expected && explanation.expected.length > 0 && (
            <>
              <Text color="secondary">Expected next instead:</Text>
              <ul>
                {explanation.expected.map((e) => (
                  <li key={e.templateId}>
                    <code>{e.template}</code> ({(e.probability * 100).toFixed(1)} %)
                  </li>
                ))}
              </ul>
            </>
          )}
          <NearestTemplates explanation={explanation} />
          <CountDeviations explanation={explanation} />
        </section>
        <section aria-label="Session context">
          <h4>
            Lines around it
            {detail.sessionId ? (detail.sessionId.startsWith('window:') ? ' in its window' : ' in its session') : ''}
          </h4>
          <ContextLines detail={detail} />
        </section>
        {error && (
          <Alert severity="error" title="Feedback not saved">
            {error.message}
          </Alert>
        )}
        {done.map((kind) => (
          <Alert key={kind} severity="success" title={DONE_TEXT[kind]} />
        ))}
        <Stack wrap="wrap">
          <Button
            icon="check"
            onClick={() => send('anomaly-normal')}
            disabled={!writable || done.includes('anomaly-normal')}
            tooltip={writable ? undefined : NEEDS_EDITOR}
          >
            Mark as normal
          </Button>
          <Button
            variant="secondary"
            icon="eye-slash"
            onClick={() => send('template-normal')}
            disabled={!writable || done.includes('template-normal')}
            tooltip={writable ? undefined : NEEDS_EDITOR}
          >
            Suppress template
          </Button>
          {lokiDatasourceUid ? (
            <LinkButton variant="secondary" icon="compass" href={exploreUrl(detail, lokiDatasourceUid)}>
              Open in Explore
            </LinkButton>
          ) : (
            <Button variant="secondary" icon="compass" disabled tooltip={NO_LOKI}>
              Open in Explore
            </Button>
          )}
          {shareUrl && (
            <ClipboardButton variant="secondary" icon="share-alt" getText={() => shareUrl}>
              Copy link
            </ClipboardButton>
          )}
        </Stack>
      </Stack>
    </Drawer>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.canvas,
    border: `1px solid ${theme.colors.border.weak}`,
    padding: theme.spacing(1),
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
  }),
  feature: css({
    display: 'grid',
    gridTemplateColumns: '40% 1fr auto',
    gap: theme.spacing(1),
    alignItems: 'center',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  featureName: css({ fontFamily: theme.typography.fontFamilyMonospace, overflow: 'hidden', textOverflow: 'ellipsis' }),
  bar: css({ height: 6, background: theme.colors.primary.main, borderRadius: 3 }),
});
