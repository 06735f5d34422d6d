import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import {
  API_PREFIX,
  benchmarkCancelPath,
  type AnomalyDetail,
  type BenchmarkRequest,
  type BenchmarkRun,
  type ModelConfig,
  type ModelVersion,
  type TrainingJob,
  type AnomalyPage,
  type AnomalyQuery,
  type Feedback,
  type ServiceSummary,
  type TemplateInfo,
} from '@anomalog/shared';
import { PROXY_BASE } from '../constants';

/** Why a call failed, in words a user can act on. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Grafana's own answers when the app is not enabled or has no settings (pkg/api plugin proxy). */
const GRAFANA_APP_UNSET = /plugin setting|plugin route match not found|plugin not found|plugin not installed/i;

export function describeFailure(status: number, detail?: string): string {
  if (status === 401) {
    return 'The processor refused the API token (unauthorised). Check the token on the app configuration page.';
  }
  if (status === 403) {
    // The processor answers 401 for a bad token; 403 comes from Grafana's proxy route (reqRole).
    return 'Your Grafana role may not do this: changing models, training, feedback and benchmarks need Editor.';
  }
  if (status === 0 || status === 502 || status === 503 || status === 504) {
    return 'The processor is unreachable. Check the processor URL on the app configuration page and that it is running.';
  }
  if (detail && GRAFANA_APP_UNSET.test(detail)) {
    return 'Grafana cannot route to the processor: enable the Anomalog app and save its processor URL and token on the app configuration page.';
  }
  if (status === 404) {
    // The processor's own 404s name what is missing (a service, an anomaly past retention, a run).
    return detail
      ? `Not found: ${detail}`
      : 'The processor does not know this endpoint; is its API enabled and up to date?';
  }
  return `The processor answered ${status}${detail ? `: ${detail}` : ''}`;
}

export async function call<T>(method: string, path: string, params?: object, data?: unknown): Promise<T> {
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        method,
        url: `${PROXY_BASE}${API_PREFIX}${path}`,
        params,
        data,
        // The processor refuses state-changing calls without it (a browser form cannot send it).
        headers: method === 'GET' ? undefined : { 'Content-Type': 'application/json' },
        showErrorAlert: false,
      }),
    );
    return response.data;
  } catch (err) {
    const failure = err as { status?: number; data?: { message?: string } };
    const status = failure.status ?? 0;
    throw new ApiError(describeFailure(status, failure.data?.message), status);
  }
}

export function compact(query: object): Record<string, string | number> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string | number
  >;
}

export const api = {
  services: () => call<ServiceSummary[]>('GET', '/services'),
  anomalies: (query: AnomalyQuery) => call<AnomalyPage>('GET', '/anomalies', compact(query)),
  anomaly: (id: string) => call<AnomalyDetail>('GET', `/anomalies/${encodeURIComponent(id)}`),
  templates: (service: string) => call<TemplateInfo[]>('GET', `/services/${encodeURIComponent(service)}/templates`),
  feedback: (feedback: Feedback) => call<unknown>('POST', '/feedback', undefined, feedback),
};

/** Endpoints the app expects beyond the read API (model management and benchmarks); see docs/grafana-app.md. */
export const modelApi = {
  config: (service: string) => call<ModelConfig>('GET', `/services/${encodeURIComponent(service)}/model`),
  saveConfig: (service: string, config: ModelConfig) =>
    call<ModelConfig>('PUT', `/services/${encodeURIComponent(service)}/model`, undefined, config),
  train: (service: string) => call<TrainingJob>('POST', `/services/${encodeURIComponent(service)}/train`),
  job: (id: string) => call<TrainingJob>('GET', `/jobs/${encodeURIComponent(id)}`),
  versions: (service: string) => call<ModelVersion[]>('GET', `/services/${encodeURIComponent(service)}/versions`),
  rollback: (service: string, version: number) =>
    call<ModelVersion>('POST', `/services/${encodeURIComponent(service)}/versions/${version}/activate`),
};

export const benchmarkApi = {
  datasets: () => call<string[]>('GET', '/benchmarks/datasets'),
  runs: () => call<BenchmarkRun[]>('GET', '/benchmarks'),
  start: (request: BenchmarkRequest) => call<BenchmarkRun>('POST', '/benchmarks', undefined, request),
  run: (id: string) => call<BenchmarkRun>('GET', `/benchmarks/${encodeURIComponent(id)}`),
  cancel: (id: string) => call<BenchmarkRun>('POST', benchmarkCancelPath(id)),
  remove: (id: string) => call<unknown>('DELETE', `/benchmarks/${encodeURIComponent(id)}`),
};

export const health = () => call<{ status: string; version: string }>('GET', '/health');
