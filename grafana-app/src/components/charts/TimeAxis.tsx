import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { timeTicks } from './buckets';

const HOUR_MS = 3600 * 1000;

/** Tick labels under a time chart, formatted for the span (times within a day, dates beyond). */
export function TimeAxis({
  from,
  to,
  x,
  y,
  theme,
}: {
  from: number;
  to: number;
  x: (t: number) => number;
  y: number;
  theme: GrafanaTheme2;
}) {
  const format = to - from > 24 * HOUR_MS ? 'MM-DD HH:mm' : 'HH:mm';
  return (
    <g>
      {timeTicks(from, to, 5).map((t, i) => (
        <text
          key={t}
          x={x(t)}
          y={y}
          fontSize={10}
          fill={theme.colors.text.secondary}
          textAnchor={i === 0 ? 'start' : i === 5 ? 'end' : 'middle'}
        >
          {dateTimeFormat(t, { format })}
        </text>
      ))}
    </g>
  );
}

/** The theme palette colour for the i-th series (same order in chart and legend). */
export function seriesColor(theme: GrafanaTheme2, i: number): string {
  const palette = theme.visualization.palette;
  return theme.visualization.getColorByName(palette[i % palette.length]);
}
