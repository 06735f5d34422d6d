import React from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { AnomalyDetail } from '@anomalog/shared';

type Line = AnomalyDetail['context'][number];

/**
 * A whole session or window a count model flagged (detector `<member>/session`, `<member>/window`):
 * its record is a summary, not a line, and it has no lines after it.
 */
const isGroup = (detail: AnomalyDetail) => /\/(session|window)$/.test(detail.detector);

/**
 * The record in its stream: the lines before it, the record itself (highlighted), the lines after it
 * (of its session when it has one); for a flagged session, its last lines. Lines after are written to the stored anomaly once they arrived
 * or the processor stopped waiting (store.retention.contextAfterWaitSeconds); until then there are none.
 */
export function ContextLines({ detail }: { detail: AnomalyDetail }) {
  const styles = useStyles2(getStyles);
  const after = detail.contextAfter;
  const line = (l: Line, key: string, extra?: string) => (
    <div key={key} className={cx(styles.line, l.isAnomaly && styles.hot, extra)} data-anomalous={l.isAnomaly}>
      <span className={styles.time}>{dateTimeFormat(l.time, { format: 'HH:mm:ss.SSS' })}</span>
      <span>{l.message}</span>
    </div>
  );
  if (isGroup(detail)) {
    return (
      <div className={styles.context} aria-label="Lines of the session">
        {detail.context.length === 0 && (
          <div className={styles.note}>
            No lines are stored for a {detail.sessionId?.startsWith('window:') ? 'window' : 'session'}.
          </div>
        )}
        {detail.context.map((l, i) => line(l, `s-${l.time}-${i}`))}
      </div>
    );
  }
  return (
    <div className={styles.context}>
      <div aria-label="Lines before">
        {detail.context.length === 0 && <div className={styles.note}>No lines before it were stored.</div>}
        {detail.context.map((l, i) => line(l, `b-${l.time}-${i}`))}
      </div>
      <div aria-label="The anomalous line" aria-current="true">
        {line(
          { time: detail.time, templateId: detail.templateId, message: detail.message, isAnomaly: true },
          'self',
          styles.self,
        )}
      </div>
      <div aria-label="Lines after">
        {after === undefined && <div className={styles.note}>Lines after it are still being collected.</div>}
        {after?.length === 0 && <div className={styles.note}>No lines came after it.</div>}
        {after?.map((l, i) => line(l, `a-${l.time}-${i}`))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  context: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.canvas,
    border: `1px solid ${theme.colors.border.weak}`,
    maxHeight: 420,
    overflowY: 'auto',
  }),
  line: css({ padding: theme.spacing(0.25, 1), borderLeft: '3px solid transparent', whiteSpace: 'pre-wrap' }),
  hot: css({
    color: theme.colors.error.text,
    background: theme.colors.error.transparent,
    borderLeftColor: theme.colors.error.main,
  }),
  self: css({
    fontWeight: theme.typography.fontWeightBold,
    borderTop: `1px solid ${theme.colors.error.border}`,
    borderBottom: `1px solid ${theme.colors.error.border}`,
  }),
  time: css({ color: theme.colors.text.secondary, marginRight: theme.spacing(1) }),
  note: css({ padding: theme.spacing(0.25, 1), color: theme.colors.text.secondary, fontStyle: 'italic' }),
});
