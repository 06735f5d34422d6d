import { useCallback, useEffect, useState } from 'react';
import { locationService } from '@grafana/runtime';

/** The Anomalies page's variables, kept in the URL so a link reproduces the same view. */
export interface AnomalyFilters {
  from: string;
  to: string;
  service: string;
  detector: string;
  minScore: number;
  /** The anomaly whose drawer is open ('' for none), so a link can open it. */
  anomaly: string;
}

export const DEFAULT_FILTERS: AnomalyFilters = {
  from: 'now-6h',
  to: 'now',
  service: '',
  detector: '',
  minScore: 0,
  anomaly: '',
};

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : fallback;
}

function score(value: unknown): number {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : DEFAULT_FILTERS.minScore;
}

export function filtersFromSearch(search: Record<string, unknown>): AnomalyFilters {
  return {
    from: text(search.from, DEFAULT_FILTERS.from),
    to: text(search.to, DEFAULT_FILTERS.to),
    service: text(search['var-service'], ''),
    detector: text(search['var-detector'], ''),
    minScore: score(search['var-minScore']),
    anomaly: text(search.anomaly, ''),
  };
}

/** URL keys follow Grafana's dashboard convention: from/to and var-NAME; empty values are removed. */
export function filtersToSearch(filters: Partial<AnomalyFilters>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined) {
      out[key] = value === '' ? null : String(value);
    }
  };
  set('from', filters.from);
  set('to', filters.to);
  set('var-service', filters.service);
  set('var-detector', filters.detector);
  set('var-minScore', filters.minScore === 0 ? '' : filters.minScore);
  set('anomaly', filters.anomaly);
  return out;
}

const SHARE_MARGIN_MS = 30 * 60 * 1000;

/**
 * A link to this page with an anomaly's drawer open, over a fixed range around it (a relative range
 * such as now-6h would no longer include it when the link is opened a day later).
 */
export function anomalyShareUrl(current: string, anomaly: { id: string; time: string }): string {
  const url = new URL(current);
  const at = Date.parse(anomaly.time);
  url.searchParams.set('from', String(at - SHARE_MARGIN_MS));
  url.searchParams.set('to', String(at + SHARE_MARGIN_MS));
  url.searchParams.set('anomaly', anomaly.id);
  return url.toString();
}

/** Filters read from and written to the location, following back/forward navigation too. */
export function useUrlFilters(): [AnomalyFilters, (patch: Partial<AnomalyFilters>) => void] {
  const [filters, setFilters] = useState(() => filtersFromSearch(locationService.getSearchObject()));
  useEffect(() => {
    const subscription = locationService
      .getLocationObservable()
      .subscribe(() => setFilters(filtersFromSearch(locationService.getSearchObject())));
    return () => subscription.unsubscribe();
  }, []);
  const update = useCallback(
    (patch: Partial<AnomalyFilters>) => locationService.partial(filtersToSearch(patch), true),
    [],
  );
  return [filters, update];
}
