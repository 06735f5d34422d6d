import React from 'react';
import { useTheme2 } from '@grafana/ui';
import type { CurveSeries as Series } from './benchmarks/curves';
import { detectorColor } from './benchmarks/colors';

const SIZE = 340;
const LEFT = 44;
const BOTTOM = 40;
const TOP = 10;
const RIGHT = 12;
const TICKS = [0, 0.25, 0.5, 0.75, 1];
const PLOT_W = SIZE - LEFT - RIGHT;
const PLOT_H = SIZE - TOP - BOTTOM;

/**
 * A unit-square line chart (ROC or PR): axes with ticks, the chance diagonal (ROC), one line per
 * detector and run in the detector's own colour (compared runs dashed), each detector's operating
 * point (its configured threshold) as a dot, and a legend with the area under each curve.
 */
export function Curve({
  title,
  series,
  xLabel,
  yLabel,
  aucLabel,
  diagonal = false,
}: {
  title: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
  aucLabel: string;
  diagonal?: boolean;
}) {
  const theme = useTheme2();
  const x = (v: number) => LEFT + v * PLOT_W;
  const y = (v: number) => TOP + (1 - v) * PLOT_H;
  const axis = theme.colors.text.secondary;
  const fontSize = 11;
  return (
    <figure aria-label={title} style={{ margin: 0 }}>
      <svg width={SIZE} height={SIZE} role="img" aria-label={`${title} chart`}>
        <rect x={LEFT} y={TOP} width={PLOT_W} height={PLOT_H} fill="none" stroke={theme.colors.border.medium} />
        {TICKS.map((t) => (
          <g key={t} data-testid="tick">
            <line x1={x(t)} x2={x(t)} y1={y(0)} y2={y(0) + 4} stroke={axis} />
            <text x={x(t)} y={y(0) + 16} fill={axis} fontSize={fontSize} textAnchor="middle">
              {t}
            </text>
            <line x1={x(0) - 4} x2={x(0)} y1={y(t)} y2={y(t)} stroke={axis} />
            <text x={x(0) - 7} y={y(t) + 4} fill={axis} fontSize={fontSize} textAnchor="end">
              {t}
            </text>
            <line x1={x(t)} x2={x(t)} y1={y(0)} y2={y(1)} stroke={theme.colors.border.weak} strokeDasharray="2 4" />
            <line x1={x(0)} x2={x(1)} y1={y(t)} y2={y(t)} stroke={theme.colors.border.weak} strokeDasharray="2 4" />
          </g>
        ))}
        {diagonal && (
          <line
            data-testid="diagonal"
            x1={x(0)}
            y1={y(0)}
            x2={x(1)}
            y2={y(1)}
            stroke={theme.colors.text.disabled}
            strokeDasharray="6 4"
          >
            <title>chance (random scores)</title>
          </line>
        )}
        {series.map((s) => (
          <polyline
            key={s.name}
            fill="none"
            strokeWidth={2}
            stroke={detectorColor(theme, s.detector)}
            strokeDasharray={s.compared ? '6 3' : undefined}
            points={s.points.map(([px, py]) => `${x(px)},${y(py)}`).join(' ')}
          />
        ))}
        {series.map((s) => (
          <circle
            key={`${s.name}-point`}
            data-testid="operating-point"
            cx={x(s.operatingPoint[0])}
            cy={y(s.operatingPoint[1])}
            r={4}
            fill={detectorColor(theme, s.detector)}
            stroke={theme.colors.background.primary}
          >
            <title>{`${s.name}: operating point at its threshold (${s.operatingPoint[0].toFixed(3)}, ${s.operatingPoint[1].toFixed(3)})`}</title>
          </circle>
        ))}
        <text x={LEFT + PLOT_W / 2} y={SIZE - 6} fill={axis} fontSize={fontSize} textAnchor="middle">
          {xLabel}
        </text>
        <text
          x={12}
          y={TOP + PLOT_H / 2}
          fill={axis}
          fontSize={fontSize}
          transform={`rotate(-90 12 ${TOP + PLOT_H / 2})`}
          textAnchor="middle"
        >
          {yLabel}
        </text>
      </svg>
      <figcaption>
        {title}
        <ul
          aria-label={`${title} legend`}
          style={{ listStyle: 'none', padding: 0, margin: 0, fontSize: theme.typography.bodySmall.fontSize }}
        >
          {series.map((s) => (
            <li key={s.name}>
              <span
                style={{
                  display: 'inline-block',
                  width: 14,
                  height: 0,
                  marginRight: 4,
                  verticalAlign: 'middle',
                  borderTop: `3px ${s.compared ? 'dashed' : 'solid'} ${detectorColor(theme, s.detector)}`,
                }}
              />
              {`${s.name}: ${aucLabel} ${s.auc.toFixed(3)}, ● at threshold (${s.operatingPoint[0].toFixed(2)}, ${s.operatingPoint[1].toFixed(2)})`}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
