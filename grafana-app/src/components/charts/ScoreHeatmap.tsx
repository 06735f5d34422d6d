import React from 'react';
import { useTheme2 } from '@grafana/ui';
import { scoreHeat } from './buckets';
import { Markers, type Marker } from './Markers';
import { TimeAxis } from './TimeAxis';

const PAD = { left: 32, right: 8, top: 10, bottom: 20 };
const BUCKETS = 60;
const BANDS = 10;

/**
 * Anomaly scores over time as a heatmap: time buckets across, score bands (0–1) up, each cell's
 * opacity by its count. Uses the theme's error colour, so light and dark themes both read.
 */
export function ScoreHeatmap({
  items,
  from,
  to,
  width,
  height,
  markers = [],
}: {
  items: ReadonlyArray<{ time: string; score: number }>;
  from: number;
  to: number;
  width: number;
  height: number;
  markers?: Marker[];
}) {
  const theme = useTheme2();
  const { cells, max } = scoreHeat(items, from, to, BUCKETS, BANDS);
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const plotH = Math.max(10, height - PAD.top - PAD.bottom);
  const cellW = plotW / BUCKETS;
  const cellH = plotH / BANDS;
  const x = (t: number) => PAD.left + ((t - from) / Math.max(1, to - from)) * plotW;
  const rects: React.ReactNode[] = [];
  cells.forEach((bands, b) =>
    bands.forEach((n, band) => {
      if (n > 0) {
        rects.push(
          <rect
            key={`${b}-${band}`}
            data-testid="heat-cell"
            x={PAD.left + b * cellW}
            y={PAD.top + plotH - (band + 1) * cellH}
            width={Math.max(1, cellW - 1)}
            height={Math.max(1, cellH - 1)}
            fill={theme.colors.error.main}
            fillOpacity={0.15 + 0.85 * (n / max)}
          >
            <title>{`score ${(band / BANDS).toFixed(1)}–${((band + 1) / BANDS).toFixed(1)}: ${n}`}</title>
          </rect>,
        );
      }
    }),
  );
  const label = (text: string, y: number) => (
    <text x={PAD.left - 4} y={y} fontSize={10} fill={theme.colors.text.secondary} textAnchor="end">
      {text}
    </text>
  );
  return (
    <svg width={width} height={height} role="img" aria-label="Anomaly score heatmap">
      <rect x={PAD.left} y={PAD.top} width={plotW} height={plotH} fill="none" stroke={theme.colors.border.weak} />
      {label('1', PAD.top + 8)}
      {label('0', PAD.top + plotH)}
      {rects}
      <Markers markers={markers} x={x} top={PAD.top} bottom={PAD.top + plotH} from={from} to={to} theme={theme} />
      <TimeAxis from={from} to={to} x={x} y={height - 4} theme={theme} />
    </svg>
  );
}
