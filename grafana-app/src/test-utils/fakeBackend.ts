import { of, throwError } from 'rxjs';
import { setBackendSrv, type BackendSrv, type BackendSrvRequest } from '@grafana/runtime';
import { API_PREFIX } from '@anomalog/shared';
import { PROXY_BASE } from '../constants';

type Handler = (request: BackendSrvRequest) => unknown;

/** Installs a BackendSrv whose fetch answers proxy-route calls from `routes` ("METHOD /path" keys). */
export function installFakeBackend(routes: Record<string, Handler>) {
  const calls: BackendSrvRequest[] = [];
  const fetch = jest.fn((request: BackendSrvRequest) => {
    calls.push(request);
    const path = request.url.slice(`${PROXY_BASE}${API_PREFIX}`.length);
    const handler = routes[`${request.method ?? 'GET'} ${path}`];
    if (!handler) {
      return throwError(() => ({ status: 404 }));
    }
    try {
      return of({ data: handler(request) });
    } catch (failure) {
      // A handler throws { status } to answer with an HTTP error.
      return throwError(() => failure);
    }
  });
  setBackendSrv({ fetch } as unknown as BackendSrv);
  return calls;
}
