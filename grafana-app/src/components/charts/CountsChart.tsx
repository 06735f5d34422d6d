import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { bucketCounts, type CountGrid } from './buckets';
import { Markers, type Marker } from './Markers';
import { seriesColor, TimeAxis } from './TimeAxis';

/** Default drawing size (viewBox units; the SVG scales to its container's width). */
const DEFAULT_WIDTH = 1000;
const DEFAULT_HEIGHT = 160;
const PAD = { left: 32, right: 8, top: 8, bottom: 20 };
export const BUCKETS = 60;

/** Anomaly counts over time, stacked by service: one bar per time bucket, theme palette colours. */
export function CountsChart({
  items,
  from,
  to,
  markers = [],
  size,
  counts,
}: {
  items: ReadonlyArray<{ time: string; service: string }>;
  from: number;
  to: number;
  /** Annotation-style markers drawn over the bars. */
  markers?: Marker[];
  /** Fixed pixel size (a panel fills its box); without it the chart scales to the page width. */
  size?: { width: number; height: number };
  /** Counts from the server's aggregates (60 buckets), in place of counting `items` (a page of them). */
  counts?: CountGrid;
}) {
  const chartW = size?.width ?? DEFAULT_WIDTH;
  const chartH = size?.height ?? DEFAULT_HEIGHT;
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const grid = counts ?? bucketCounts(items, from, to, BUCKETS);
  const plotW = chartW - PAD.left - PAD.right;
  const plotH = chartH - PAD.top - PAD.bottom;
  const barW = plotW / BUCKETS;
  const yMax = Math.max(1, grid.max);
  const x = (t: number) => PAD.left + ((t - from) / Math.max(1, to - from)) * plotW;
  const bars: React.ReactNode[] = [];
  for (let b = 0; b < BUCKETS; b++) {
    let base = 0;
    grid.services.forEach((service, s) => {
      const n = grid.counts[s][b];
      if (n === 0) {
        return;
      }
      const h = (n / yMax) * plotH;
      bars.push(
        <rect
          key={`${service}-${b}`}
          x={PAD.left + b * barW + 1}
          y={PAD.top + plotH - base - h}
          width={Math.max(1, barW - 2)}
          height={h}
          fill={seriesColor(theme, s)}
        >
          <title>{`${service}: ${n}`}</title>
        </rect>,
      );
      base += h;
    });
  }
  return (
    <figure className={styles.figure}>
      <svg
        viewBox={`0 0 ${chartW} ${chartH}`}
        width={size ? chartW : '100%'}
        height={size ? chartH : undefined}
        role="img"
        aria-label="Anomalies over time chart"
        className={size ? undefined : styles.svg}
      >
        <line
          x1={PAD.left}
          x2={chartW - PAD.right}
          y1={PAD.top + plotH}
          y2={PAD.top + plotH}
          stroke={theme.colors.border.medium}
        />
        <text x={PAD.left - 4} y={PAD.top + 8} fontSize={10} fill={theme.colors.text.secondary} textAnchor="end">
          {yMax}
        </text>
        <text x={PAD.left - 4} y={PAD.top + plotH} fontSize={10} fill={theme.colors.text.secondary} textAnchor="end">
          0
        </text>
        {bars}
        <Markers markers={markers} x={x} top={PAD.top} bottom={PAD.top + plotH} from={from} to={to} theme={theme} />
        <TimeAxis from={from} to={to} x={x} y={chartH - 4} theme={theme} />
      </svg>
      <figcaption className={styles.legend}>
        {grid.services.map((service, s) => (
          <span key={service} className={styles.legendItem}>
            <span className={styles.swatch} style={{ background: seriesColor(theme, s) }} />
            {service} ({grid.counts[s].reduce((a, b) => a + b, 0)})
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css({
    margin: 0,
    padding: theme.spacing(1),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  svg: css({ display: 'block', maxHeight: 220 }),
  legend: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  legendItem: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  swatch: css({ width: 12, height: 4, borderRadius: 2, display: 'inline-block' }),
});
