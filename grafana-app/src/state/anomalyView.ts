import { useEffect, useState } from 'react';
import { locationService } from '@grafana/runtime';

/** The Anomalies page's view, refresh interval and opened incident, kept in the URL (view=…, refresh=…, incident=…). */
export type AnomalyView = 'incidents' | 'records' | 'suppressions';

export interface ViewState {
  view: AnomalyView;
  refresh: string;
  incident: string;
}

export function viewFromSearch(search: Record<string, unknown>): ViewState {
  const view = search.view === 'records' || search.view === 'suppressions' ? search.view : 'incidents';
  const refresh = typeof search.refresh === 'string' ? search.refresh : '';
  const incident = typeof search.incident === 'string' ? search.incident : '';
  return { view, refresh, incident };
}

export function useUrlView(): [ViewState, (change: Partial<ViewState>) => void] {
  const [state, setState] = useState(() => viewFromSearch(locationService.getSearchObject()));
  useEffect(() => {
    const subscription = locationService
      .getLocationObservable()
      .subscribe(() => setState(viewFromSearch(locationService.getSearchObject())));
    return () => subscription.unsubscribe();
  }, []);
  const update = (change: Partial<ViewState>) => {
    const out: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(change)) {
      out[k] = v === '' || (k === 'view' && v === 'incidents') ? null : String(v);
    }
    locationService.partial(out, true);
  };
  return [state, update];
}
