import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { locationService } from '@grafana/runtime';
import { PluginContextProvider, PluginType, type PluginMeta } from '@grafana/data';
import type { Anomaly, AnomalyDetail, AnomalyQuery } from '@anomalog/shared';
import { installFakeBackend } from '../test-utils/fakeBackend';
import { AnomaliesPage } from './Anomalies';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

const now = Date.now();
const anomaly = (i: number, service: string): Anomaly => ({
  id: `a${i}`,
  time: new Date(now - i * 60_000).toISOString(),
  service,
  templateId: `t${i}`,
  template: `Connection to <*> refused ${i}`,
  message: `Connection to db-${i} refused`,
  score: 0.9 - i / 100,
  detector: 'isolation-forest',
  reason: 'rare template',
  suppressed: false,
});
const detail: AnomalyDetail = {
  ...anomaly(1, 'checkout'),
  sessionId: 'blk_1',
  severityText: 'ERROR',
  attributes: { 'http.route': '/pay', 'log.template.id': 't1', retries: 3 },
  context: [
    { time: new Date(now - 61_000).toISOString(), templateId: 't0', message: 'opening block', isAnomaly: false },
    {
      time: new Date(now - 60_000).toISOString(),
      templateId: 't1',
      message: 'Connection to db-1 refused',
      isAnomaly: true,
    },
  ],
  explanation: { reason: 'template t1 never seen in training', features: [{ name: 'count:t1', weight: 0.8 }] },
};
const services = [
  { service: 'checkout', status: 'scoring', recordsSeen: 10, templates: 3, anomalies: 2, learningProgress: 1 },
];

beforeEach(() => act(() => locationService.push('/a/anomalog-app/anomalies')));

test('time range and variables in the URL drive the query', async () => {
  act(() => locationService.push('/a/anomalog-app/anomalies?from=now-1h&to=now&var-service=checkout&var-minScore=0.7'));
  const calls = installFakeBackend({
    'GET /services': () => services,
    'GET /anomalies': () => ({ total: 0, items: [] }),
  });
  render(<AnomaliesPage />);
  expect(await screen.findByText(/No anomalies match/)).toBeInTheDocument();
  const query = calls.find((c) => c.url.endsWith('/anomalies'))!.params as AnomalyQuery;
  expect(query).toMatchObject({ service: 'checkout', minScore: 0.7 });
  expect(Math.abs(Number(query.to) - Number(query.from) - 3600_000)).toBeLessThan(1000);
});

test('changing the min score writes it to the URL and queries again', async () => {
  const calls = installFakeBackend({
    'GET /services': () => services,
    'GET /anomalies': () => ({ total: 0, items: [] }),
  });
  render(<AnomaliesPage />);
  const field = await screen.findByLabelText('Min score');
  fireEvent.change(field, { target: { value: '0.8' } });
  fireEvent.blur(field);
  await waitFor(() => expect(locationService.getSearchObject()['var-minScore']).toBe('0.8'));
  await waitFor(() => expect(calls.at(-1)?.params).toMatchObject({ minScore: 0.8 }));
});

test('shows the counts chart and table, opens the drawer and sends feedback', async () => {
  const calls = installFakeBackend({
    'GET /services': () => services,
    'GET /anomalies': () => ({ total: 2, items: [anomaly(1, 'checkout'), anomaly(2, 'payments')] }),
    'GET /anomalies/a1': () => detail,
    'POST /feedback': () => ({ ok: true }),
  });
  const meta = { id: 'anomalog-app', type: PluginType.app, jsonData: { lokiDatasourceUid: 'my-loki' } };
  render(
    <PluginContextProvider meta={meta as unknown as PluginMeta}>
      <AnomaliesPage />
    </PluginContextProvider>,
  );
  expect(await screen.findByRole('img', { name: 'Anomalies over time chart' }, { timeout: 5000 })).toBeInTheDocument();
  expect(screen.getByText('checkout (1)')).toBeInTheDocument();
  expect(screen.getByText('payments (1)')).toBeInTheDocument();
  fireEvent.click(screen.getByRole('button', { name: 'Connection to <*> refused 1' }));
  const context = (await screen.findByText('opening block', {}, { timeout: 5000 })).closest('section')!;
  expect(context).toHaveAttribute('aria-label', 'Session context');
  const self = within(context).getByLabelText('The anomalous line');
  const hot = within(self).getByText('Connection to db-1 refused').closest('[data-anomalous]');
  expect(hot).toHaveAttribute('data-anomalous', 'true');
  expect(within(context).getByText('Lines after it are still being collected.')).toBeInTheDocument();
  expect(screen.getByText('template t1 never seen in training')).toBeInTheDocument();
  // the drawer is in the URL, so a copied link opens it
  expect(locationService.getSearchObject().anomaly).toBe('a1');
  const attributes = screen.getByRole('table', { name: 'Record attributes' });
  expect(within(attributes).getByText('http.route').nextSibling).toHaveTextContent('/pay');
  expect(within(attributes).getByText('retries').nextSibling).toHaveTextContent('3');
  expect(screen.getByText('severity ERROR')).toBeInTheDocument();
  // Explore on the configured Loki data source, filtered to the template id attribute
  const explore = screen.getByRole('link', { name: /Open in Explore/ });
  const pane = JSON.parse(new URL(explore.getAttribute('href')!, 'http://x').searchParams.get('panes')!).a;
  expect(pane.datasource).toBe('my-loki');
  expect(pane.queries[0].expr).toBe('{service_name="checkout"} | log_template_id="t1"');
  fireEvent.click(screen.getByRole('button', { name: /Mark as normal/ }));
  // it promises no immediate learning: the effect comes with the next training
  expect(await screen.findByText(/next training/, {}, { timeout: 5000 })).toBeInTheDocument();
  expect(screen.queryByText(/learns from this feedback/)).not.toBeInTheDocument();
  // the table badges it at once, without a reload
  expect(screen.getAllByText('marked normal')).toHaveLength(1);
  expect(calls.find((c) => c.method === 'POST')?.data).toEqual({
    kind: 'anomaly-normal',
    service: 'checkout',
    anomalyId: 'a1',
  });
});

test('a URL naming an anomaly opens its drawer; without a Loki data source Explore is off and says why', async () => {
  act(() => locationService.push('/a/anomalog-app/anomalies?anomaly=a1'));
  installFakeBackend({
    'GET /services': () => services,
    'GET /anomalies': () => ({ total: 0, items: [] }),
    'GET /anomalies/a1': () => detail,
  });
  render(<AnomaliesPage />);
  expect(await screen.findByText('template t1 never seen in training')).toBeInTheDocument();
  expect(screen.getByRole('button', { name: /Open in Explore/ })).toHaveAttribute('aria-disabled', 'true');
  fireEvent.click(screen.getByRole('button', { name: /Close/ }));
  await waitFor(() => expect(locationService.getSearchObject().anomaly).toBeUndefined());
  await waitFor(() => expect(screen.queryByText('template t1 never seen in training')).not.toBeInTheDocument());
});

test('the unauthorised state names the cause and links to the configuration', async () => {
  installFakeBackend({
    'GET /anomalies': () => {
      throw { status: 401 };
    },
  });
  render(<AnomaliesPage />);
  expect(await screen.findByText(/Unauthorised/)).toBeInTheDocument();
  expect(screen.getByText(/Check the token on the app configuration page/)).toBeInTheDocument();
  expect(screen.getByRole('link', { name: /Open app configuration/ })).toHaveAttribute('href', '/plugins/anomalog-app');
});

test('an unreachable processor is reported with a retry that queries again', async () => {
  let down = true;
  installFakeBackend({
    'GET /anomalies': () => {
      if (down) {
        throw { status: 502 };
      }
      return { total: 0, items: [] };
    },
  });
  render(<AnomaliesPage />);
  expect(await screen.findByText('Processor unreachable')).toBeInTheDocument();
  down = false;
  fireEvent.click(screen.getByRole('button', { name: /Retry/ }));
  expect(await screen.findByText(/has not received logs yet/)).toBeInTheDocument();
});

test('a learning model is announced with its progress', async () => {
  installFakeBackend({
    'GET /services': () => [{ ...services[0], status: 'learning', learningProgress: 0.4 }],
    'GET /anomalies': () => ({ total: 0, items: [] }),
  });
  render(<AnomaliesPage />);
  expect(await screen.findByText('Model still learning')).toBeInTheDocument();
  expect(screen.getByText(/checkout: 40 %/)).toBeInTheDocument();
});

test('anomalies a user marked normal stay listed, with a badge', async () => {
  installFakeBackend({
    'GET /services': () => services,
    'GET /anomalies': () => ({
      total: 2,
      items: [{ ...anomaly(1, 'checkout'), suppressed: true }, anomaly(2, 'checkout')],
    }),
  });
  render(<AnomaliesPage />);
  const marked = (await screen.findByRole('button', { name: 'Connection to <*> refused 1' })).closest('tr')!;
  expect(within(marked).getByText('marked normal')).toBeInTheDocument();
  const other = screen.getByRole('button', { name: 'Connection to <*> refused 2' }).closest('tr')!;
  expect(within(other).queryByText('marked normal')).toBeNull();
});

test('a range with more anomalies than a page: older ones load with the next offset', async () => {
  const first = Array.from({ length: 1000 }, (_, i) => anomaly(i, 'checkout'));
  const older = [1000, 1001, 1002].map((i) => anomaly(i, 'checkout'));
  const calls = installFakeBackend({
    'GET /services': () => services,
    'GET /anomalies': (r) => {
      const offset = (r.params as AnomalyQuery).offset ?? 0;
      return { total: 1003, items: offset === 0 ? first : older };
    },
  });
  render(<AnomaliesPage />);
  expect(await screen.findByText('Showing the latest 1000 of 1003 anomalies.')).toBeInTheDocument();
  fireEvent.click(screen.getByRole('button', { name: 'Load 3 older' }));
  await waitFor(() => expect(screen.queryByText(/Showing the latest/)).toBeNull());
  const pages = calls.filter((c) => c.url.endsWith('/anomalies')).map((c) => (c.params as AnomalyQuery).offset);
  expect(pages).toEqual([undefined, 1000]);
});
