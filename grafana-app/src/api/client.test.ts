import { of, throwError } from 'rxjs';
import { setBackendSrv, type BackendSrv } from '@grafana/runtime';
import { api, ApiError, describeFailure } from './client';

function backendAnswering(fetch: jest.Mock) {
  setBackendSrv({ fetch } as unknown as BackendSrv);
}

describe('api client', () => {
  test('calls the processor through the plugin proxy route with the query, dropping empty filters', async () => {
    const fetch = jest.fn(() => of({ data: { total: 0, items: [] } }));
    backendAnswering(fetch);
    await api.anomalies({ service: 'checkout', detector: '', minScore: 0.8 });
    expect(fetch).toHaveBeenCalledWith(
      expect.objectContaining({
        method: 'GET',
        url: '/api/plugin-proxy/anomalog-app/processor/api/v1/anomalies',
        params: { service: 'checkout', minScore: 0.8 },
      }),
    );
  });

  test('turns 401 into an actionable unauthorised message', async () => {
    backendAnswering(jest.fn(() => throwError(() => ({ status: 401 }))));
    await expect(api.services()).rejects.toThrow(/unauthorised/);
  });

  test('turns 403 (Grafana route role) into a permission message, not a token one', async () => {
    backendAnswering(jest.fn(() => throwError(() => ({ status: 403 }))));
    await expect(api.feedback({ kind: 'anomaly-normal', service: 's', anomalyId: 'a' })).rejects.toThrow(/need Editor/);
  });

  test('turns a proxy failure into an unreachable message with the status', async () => {
    backendAnswering(jest.fn(() => throwError(() => ({ status: 502 }))));
    const failure = await api.services().catch((e: ApiError) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(502);
    expect((failure as ApiError).message).toMatch(/unreachable/);
  });
});

describe('describeFailure', () => {
  test("names what the processor did not find, and Grafana's own 'app not set up' answers", () => {
    expect(describeFailure(404, 'anomaly "a1" not found')).toBe('Not found: anomaly "a1" not found');
    expect(describeFailure(404)).toMatch(/does not know this endpoint/);
    expect(describeFailure(404, 'plugin route match not found')).toMatch(/enable the Anomalog app/);
    expect(describeFailure(500, 'plugin setting not found')).toMatch(/enable the Anomalog app/);
    expect(describeFailure(409, 'a training of checkout already runs')).toBe(
      'The processor answered 409: a training of checkout already runs',
    );
  });
});
