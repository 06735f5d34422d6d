import type {
  AggregateAnswer,
  AggregateQuery,
  Incident,
  IncidentDetail,
  IncidentPage,
  IncidentQuery,
  IncidentStatus,
  Suppression,
  SuppressionRequest,
} from '@anomalog/shared';
import { call, compact } from './client';

/** Incidents, aggregates and suppressions (docs/api.md); the Grafana proxy routes PATCH and DELETE for Editors. */
export const triageApi = {
  incidents: (query: IncidentQuery) => call<IncidentPage>('GET', '/incidents', compact(query)),
  incident: (id: string) => call<IncidentDetail>('GET', `/incidents/${encodeURIComponent(id)}`),
  setStatus: (id: string, status: IncidentStatus) =>
    call<Incident>('PATCH', `/incidents/${encodeURIComponent(id)}`, undefined, { status }),
  aggregate: (query: AggregateQuery) => call<AggregateAnswer>('GET', '/aggregate', compact(query)),
  suppressions: () => call<Suppression[]>('GET', '/suppressions'),
  suppress: (request: SuppressionRequest) => call<Suppression>('POST', '/suppressions', undefined, request),
  unsuppress: (id: string) => call<void>('DELETE', `/suppressions/${encodeURIComponent(id)}`),
};
