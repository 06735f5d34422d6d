import React from 'react';
import { of } from 'rxjs';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PluginType, type DataSourceInstanceSettings } from '@grafana/data';
import {
  setBackendSrv,
  setDataSourceSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type DataSourceSrv,
} from '@grafana/runtime';
import AppConfig, { AppConfigProps } from './AppConfig';
import { testIds } from 'components/testIds';

const loki = { uid: 'loki-1', name: 'Logs', type: 'loki', meta: { id: 'loki', info: { logos: {} } } };

function renderConfig(meta: Partial<AppConfigProps['plugin']['meta']> = {}) {
  const plugin = {
    meta: { id: 'anomalog-app', name: 'Anomalog', type: PluginType.app, enabled: true, jsonData: {}, ...meta },
  };
  // @ts-expect-error - addConfigPage() and setChannelSupport() are not needed here
  render(<AppConfig plugin={plugin} query={{}} />);
}

let posted: BackendSrvRequest[];
beforeEach(() => {
  posted = [];
  setBackendSrv({
    fetch: (r: BackendSrvRequest) => {
      posted.push(r);
      return of({ data: {}, status: 200, ok: true });
    },
  } as unknown as BackendSrv);
  setDataSourceSrv({
    getList: () => [loki as unknown as DataSourceInstanceSettings],
    // Grafana's finds by uid or name, and answers the default data source for none
    getInstanceSettings: (ref: unknown) =>
      ref == null || ref === loki.uid || ref === loki.name || (ref as { uid?: string })?.uid === loki.uid
        ? loki
        : undefined,
  } as unknown as DataSourceSrv);
});

test('renders the API settings: token, URL with the API default port, Loki data source, save', () => {
  renderConfig({ enabled: false });
  expect(screen.getByRole('group', { name: /api settings/i })).toBeInTheDocument();
  expect(screen.getByTestId(testIds.appConfig.apiToken)).toBeInTheDocument();
  expect(screen.getByTestId(testIds.appConfig.processorUrl)).toHaveAttribute(
    'placeholder',
    'E.g. http://anomalog:8080',
  );
  expect(screen.getByText('Loki data source')).toBeInTheDocument();
  expect(screen.getByRole('button', { name: /save api settings/i })).toBeDisabled();
});

test('submitting cancels the browser navigation and POSTs the settings to Grafana', async () => {
  renderConfig({ jsonData: { processorUrl: 'http://anomalog:8080', lokiDatasourceUid: loki.uid } });
  expect(screen.getByText('Logs')).toBeInTheDocument(); // the stored Loki data source is shown by name
  fireEvent.change(screen.getByTestId(testIds.appConfig.apiToken), { target: { value: ' s3cret ' } });
  const form = screen.getByRole('form', { name: 'Anomalog settings' });
  // fireEvent returns false when a handler called preventDefault(): the browser would not navigate
  expect(fireEvent.submit(form)).toBe(false);
  await waitFor(() => expect(posted).toHaveLength(1));
  expect(posted[0]).toMatchObject({
    url: '/api/plugins/anomalog-app/settings',
    method: 'POST',
    data: {
      enabled: true,
      jsonData: { processorUrl: 'http://anomalog:8080', lokiDatasourceUid: 'loki-1' },
      secureJsonData: { apiToken: 's3cret' },
    },
  });
});

test('a stored token is not overwritten when it was left untouched; an invalid form is not sent', async () => {
  renderConfig({ jsonData: { processorUrl: 'http://anomalog:8080' }, secureJsonFields: { apiToken: true } });
  expect(fireEvent.submit(screen.getByRole('form', { name: 'Anomalog settings' }))).toBe(false);
  await waitFor(() => expect(posted).toHaveLength(1));
  expect((posted[0].data as { secureJsonData?: unknown }).secureJsonData).toBeUndefined();

  posted = [];
  fireEvent.change(screen.getByTestId(testIds.appConfig.processorUrl), { target: { value: '' } });
  expect(fireEvent.submit(screen.getByRole('form', { name: 'Anomalog settings' }))).toBe(false);
  expect(posted).toHaveLength(0);
});
