import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2 } from '@grafana/ui';
import type { AnomalyDetail } from '@anomalog/shared';

const count = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * For a session or window a count model flagged: the templates whose count left the range the
 * training groups had (5th to 95th percentile), actual against typical, so the anomaly can be checked
 * against the logs rather than taken from a score.
 */
export function CountDeviations({ explanation }: { explanation: AnomalyDetail['explanation'] }) {
  const styles = useStyles2(getStyles);
  const rows = explanation.counts ?? [];
  if (rows.length === 0) {
    return null;
  }
  return (
    <div>
      <Text color="secondary">Template counts outside their usual range:</Text>
      <table className={styles.table} aria-label="Template counts against their usual range">
        <thead>
          <tr>
            <th>Template</th>
            <th>Actual</th>
            <th>Typical</th>
            <th>Usual range</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.templateId}>
              <td className={styles.template}>
                <code>{r.template}</code>
              </td>
              <td className={r.actual > r.high ? styles.above : styles.below}>
                {count(r.actual)} {r.actual > r.high ? '▲' : '▼'}
              </td>
              <td>{count(r.mean)}</td>
              <td>
                {count(r.low)}–{count(r.high)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    fontSize: theme.typography.bodySmall.fontSize,
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'right',
      whiteSpace: 'nowrap',
    },
    'th:first-child, td:first-child': { textAlign: 'left', whiteSpace: 'normal' },
  }),
  template: css({ wordBreak: 'break-all' }),
  above: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
  below: css({ color: theme.colors.warning.text, fontWeight: theme.typography.fontWeightMedium }),
});
