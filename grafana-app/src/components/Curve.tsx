import React from 'react';
import { useTheme2 } from '@grafana/ui';
import type { CurveSeries as Series } from './benchmarks/curves';

const SIZE = 220;
const PAD = 24;

/** A small unit-square line chart (ROC or PR), one line per detector, in the theme's palette. */
export function Curve({
  title,
  series,
  xLabel,
  yLabel,
}: {
  title: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
}) {
  const theme = useTheme2();
  const scale = (v: number) => PAD + v * (SIZE - 2 * PAD);
  const color = (i: number) =>
    theme.visualization.getColorByName(theme.visualization.palette[i % theme.visualization.palette.length]);
  return (
    <figure aria-label={title} style={{ margin: 0 }}>
      <svg width={SIZE} height={SIZE} role="img" aria-label={`${title} chart`}>
        <rect
          x={PAD}
          y={PAD}
          width={SIZE - 2 * PAD}
          height={SIZE - 2 * PAD}
          fill="none"
          stroke={theme.colors.border.medium}
        />
        {series.map((s, i) => (
          <polyline
            key={s.name}
            fill="none"
            strokeWidth={2}
            stroke={color(i)}
            points={s.points.map(([x, y]) => `${scale(x)},${SIZE - scale(y)}`).join(' ')}
          />
        ))}
        <text x={SIZE / 2} y={SIZE - 4} fill={theme.colors.text.secondary} fontSize={10} textAnchor="middle">
          {xLabel}
        </text>
        <text
          x={8}
          y={SIZE / 2}
          fill={theme.colors.text.secondary}
          fontSize={10}
          transform={`rotate(-90 8 ${SIZE / 2})`}
          textAnchor="middle"
        >
          {yLabel}
        </text>
      </svg>
      <figcaption>
        {title}
        <ul style={{ listStyle: 'none', padding: 0, margin: 0, fontSize: theme.typography.bodySmall.fontSize }}>
          {series.map((s, i) => (
            <li key={s.name}>
              <span style={{ display: 'inline-block', width: 10, height: 10, marginRight: 4, background: color(i) }} />
              {s.name}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
