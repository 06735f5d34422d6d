import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';

export interface Marker {
  time: number;
  text: string;
  /** 'anomaly' markers are the panel's own; 'annotation' ones come from the dashboard. */
  kind: 'anomaly' | 'annotation';
}

/**
 * Annotation-style markers over a time chart: a vertical line per marker, a small triangle on top,
 * and the text as a tooltip. Anomalies in the theme's error colour, dashboard annotations in blue.
 */
export function Markers({
  markers,
  x,
  top,
  bottom,
  from,
  to,
  theme,
}: {
  markers: Marker[];
  x: (t: number) => number;
  top: number;
  bottom: number;
  from: number;
  to: number;
  theme: GrafanaTheme2;
}) {
  return (
    <g aria-label="Annotations">
      {markers
        .filter((m) => m.time >= from && m.time <= to)
        .map((m, i) => {
          const color = m.kind === 'anomaly' ? theme.colors.error.main : theme.colors.info.main;
          const at = x(m.time);
          return (
            <g key={`${m.kind}-${m.time}-${i}`} data-testid={`marker-${m.kind}`}>
              <title>{m.text}</title>
              <line x1={at} x2={at} y1={top} y2={bottom} stroke={color} strokeOpacity={0.5} strokeDasharray="2 2" />
              <polygon points={`${at - 4},${top} ${at + 4},${top} ${at},${top + 6}`} fill={color} />
            </g>
          );
        })}
    </g>
  );
}
