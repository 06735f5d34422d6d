import type { DataFrame, TimeRange } from '@grafana/data';
import type { AnomalyQuery } from '@anomalog/shared';
import type { Marker } from '../../components/charts/Markers';

export type PanelMode = 'timeline' | 'heatmap' | 'table';

export interface Options {
  /** Service name; dashboard variables ($service) are resolved. Empty: all services. */
  service: string;
  /** Detector name ("unseen-template" too); empty: all. */
  detector: string;
  minScore: number;
  mode: PanelMode;
  /** Mark each anomaly (and the dashboard's annotations) on the timeline/heatmap. */
  showAnnotations: boolean;
}

export const DEFAULT_OPTIONS: Options = {
  service: '',
  detector: '',
  minScore: 0.5,
  mode: 'timeline',
  showAnnotations: true,
};

/** The API's page limit: the panel shows at most this many of the range's anomalies. */
export const PANEL_LIMIT = 1000;

/** The anomalies query for the dashboard's range and the panel's options (variables resolved). */
export function panelQuery(
  options: Options,
  timeRange: TimeRange,
  replaceVariables: (value: string) => string = (v) => v,
): AnomalyQuery {
  const service = replaceVariables(options.service ?? '').trim();
  const detector = replaceVariables(options.detector ?? '').trim();
  const minScore = Math.min(1, Math.max(0, Number(options.minScore) || 0));
  return {
    from: String(timeRange.from.valueOf()),
    to: String(timeRange.to.valueOf()),
    // A multi-value or "All" variable resolves to something like "{a,b}" or "$__all": no filter then.
    ...(service && !/[{}$,]/.test(service) ? { service } : {}),
    ...(detector && !/[{}$,]/.test(detector) ? { detector } : {}),
    ...(minScore > 0 ? { minScore } : {}),
    sort: 'time',
    order: 'desc',
    limit: PANEL_LIMIT,
  };
}

/** The dashboard's annotations (PanelData.annotations frames: time, optional timeEnd, text/title). */
export function annotationMarkers(frames: DataFrame[] | undefined): Marker[] {
  const out: Marker[] = [];
  for (const frame of frames ?? []) {
    const time = frame.fields.find((f) => f.name === 'time');
    const text = frame.fields.find((f) => f.name === 'text') ?? frame.fields.find((f) => f.name === 'title');
    if (!time) {
      continue;
    }
    for (let i = 0; i < frame.length; i++) {
      const at = Number(time.values[i]);
      if (Number.isFinite(at)) {
        out.push({ time: at, text: String(text?.values[i] ?? 'annotation'), kind: 'annotation' });
      }
    }
  }
  return out;
}
