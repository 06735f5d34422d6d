import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2, type BadgeColor } from '@grafana/ui';

/** OpenTelemetry severity text to a badge colour (ERROR/FATAL red, WARN orange, the rest blue). */
export function severityColor(severity: string): BadgeColor {
  const s = severity.toUpperCase();
  if (s.startsWith('ERR') || s.startsWith('FATAL') || s.startsWith('CRIT')) {
    return 'red';
  }
  return s.startsWith('WARN') ? 'orange' : 'blue';
}

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The record's attributes as the API returns them, sorted by key, values as text. */
export function RecordAttributes({ attributes }: { attributes: Record<string, unknown> }) {
  const styles = useStyles2(getStyles);
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) {
    return <Text color="secondary">The record has no attributes.</Text>;
  }
  return (
    <table className={styles.table} aria-label="Record attributes">
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td>{show(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': { padding: theme.spacing(0.25, 1), borderBottom: `1px solid ${theme.colors.border.weak}` },
    th: { fontWeight: theme.typography.fontWeightMedium, color: theme.colors.text.secondary, width: '35%' },
    td: { fontFamily: theme.typography.fontFamilyMonospace, wordBreak: 'break-all' },
  }),
});
