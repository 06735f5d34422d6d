import React from 'react';
import { render, screen } from '@testing-library/react';
import {
  dateTime,
  FieldType,
  LoadingState,
  standardEditorsRegistry,
  toDataFrame,
  type PanelData,
  type PanelProps,
  type TimeRange,
} from '@grafana/data';
import type { Anomaly, AnomalyQuery } from '@anomalog/shared';
import { installFakeBackend } from '../../test-utils/fakeBackend';
import { LogAnomaliesPanel } from './LogAnomaliesPanel';
import { annotationMarkers, DEFAULT_OPTIONS, panelQuery, type Options } from './options';
import { anomalyPageUrl } from './AnomalyTable';
import { plugin } from './module';

const to = Date.parse('2026-12-01T12:00:00Z');
const from = to - 3600_000;
const range: TimeRange = { from: dateTime(from), to: dateTime(to), raw: { from: 'now-1h', to: 'now' } };
const anomaly = (i: number, score: number): Anomaly => ({
  id: `a${i}`,
  time: new Date(from + (i + 1) * 60_000).toISOString(),
  service: 'checkout',
  templateId: `t${i}`,
  template: `Connection to <*> refused ${i}`,
  message: `Connection to db-${i} refused`,
  score,
  detector: 'isolation-forest',
  reason: 'rare template',
  suppressed: false,
});
const items = [anomaly(1, 0.95), anomaly(2, 0.72), anomaly(30, 0.55)];
const annotations = [
  toDataFrame({
    fields: [
      { name: 'time', type: FieldType.time, values: [from + 10 * 60_000] },
      { name: 'text', type: FieldType.string, values: ['deploy v2'] },
    ],
  }),
];

function props(options: Partial<Options>, replace = (v: string) => v): PanelProps<Options> {
  const data = { state: LoadingState.Done, series: [], timeRange: range, annotations } as PanelData;
  return {
    options: { ...DEFAULT_OPTIONS, ...options },
    timeRange: range,
    width: 800,
    height: 300,
    data,
    replaceVariables: replace,
  } as unknown as PanelProps<Options>;
}

function serve(answer: () => unknown = () => ({ total: items.length, items })) {
  return installFakeBackend({ 'GET /anomalies': answer });
}

describe('panelQuery', () => {
  test('the dashboard range, resolved variables, detector and min score', () => {
    const q = panelQuery({ ...DEFAULT_OPTIONS, service: '$service', detector: 'lof', minScore: 0.8 }, range, (v) =>
      v.replace('$service', 'checkout'),
    );
    expect(q).toEqual<AnomalyQuery>({
      from: String(from),
      to: String(to),
      service: 'checkout',
      detector: 'lof',
      minScore: 0.8,
      sort: 'time',
      order: 'desc',
      limit: 1000,
    });
  });

  test('"All" or multi-value variables, an empty detector and min score 0 filter nothing', () => {
    const q = panelQuery({ ...DEFAULT_OPTIONS, service: '$service', minScore: 0 }, range, () => '{a,b}');
    expect(q.service).toBeUndefined();
    expect(q.detector).toBeUndefined();
    expect(q.minScore).toBeUndefined();
  });

  test('min score is clamped to [0, 1]', () => {
    expect(panelQuery({ ...DEFAULT_OPTIONS, minScore: 3 }, range).minScore).toBe(1);
  });
});

test('annotationMarkers reads time and text of the dashboard annotation frames', () => {
  expect(annotationMarkers(annotations)).toEqual([{ time: from + 600_000, text: 'deploy v2', kind: 'annotation' }]);
  expect(annotationMarkers(undefined)).toEqual([]);
});

describe('LogAnomaliesPanel', () => {
  test('timeline: asks the processor for the options, draws counts with anomaly and dashboard annotations', async () => {
    const calls = serve();
    render(<LogAnomaliesPanel {...props({ service: 'checkout', minScore: 0.5 })} />);
    expect(await screen.findByRole('img', { name: 'Anomalies over time chart' })).toBeInTheDocument();
    expect(calls[0].params).toMatchObject({ service: 'checkout', minScore: 0.5, from: String(from), to: String(to) });
    expect(screen.getAllByTestId('marker-anomaly')).toHaveLength(3);
    expect(screen.getAllByTestId('marker-annotation')).toHaveLength(1);
    expect(screen.getByText('deploy v2')).toBeInTheDocument();
  });

  test('annotations can be switched off', async () => {
    serve();
    render(<LogAnomaliesPanel {...props({ showAnnotations: false })} />);
    await screen.findByRole('img', { name: 'Anomalies over time chart' });
    expect(screen.queryAllByTestId('marker-anomaly')).toHaveLength(0);
  });

  test('heatmap: one cell per (time bucket, score band) with anomalies', async () => {
    serve();
    render(<LogAnomaliesPanel {...props({ mode: 'heatmap' })} />);
    expect(await screen.findByRole('img', { name: 'Anomaly score heatmap' })).toBeInTheDocument();
    expect(screen.getAllByTestId('heat-cell')).toHaveLength(3);
    expect(screen.getByText('score 0.9–1.0: 1')).toBeInTheDocument();
  });

  test('table: a row per anomaly, the template linking to the app page around it', async () => {
    serve();
    render(<LogAnomaliesPanel {...props({ mode: 'table' })} />);
    const link = await screen.findByRole('link', { name: 'Connection to <*> refused 1' });
    expect(link).toHaveAttribute('href', anomalyPageUrl(items[0]));
    expect(screen.getByText('0.950')).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(items.length + 1);
  });

  test('says what to do when there is nothing, and when the token is refused', async () => {
    serve(() => ({ total: 0, items: [] }));
    const { unmount } = render(<LogAnomaliesPanel {...props({ service: 'web', minScore: 0.9 })} />);
    expect(await screen.findByText(/No anomalies of web with score ≥ 0.9 in this range/)).toBeInTheDocument();
    unmount();
    serve(() => {
      throw { status: 401 };
    });
    render(<LogAnomaliesPanel {...props({})} />);
    expect(await screen.findByText('Unauthorised: the processor refused the API token')).toBeInTheDocument();
  });
});

test('anomalyPageUrl opens the app page ±5 min around the anomaly for its service', () => {
  const url = new URL(anomalyPageUrl(items[0]), 'http://grafana');
  expect(url.pathname).toBe('/a/anomalog-app/anomalies');
  expect(url.searchParams.get('var-service')).toBe('checkout');
  expect(Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'))).toBe(600_000);
});

test('the panel plugin registers service, detector, min score, mode and annotations options with their defaults', () => {
  // Grafana registers its standard option editors at start-up; here only their ids are needed.
  standardEditorsRegistry.setInit(() =>
    ['text', 'select', 'slider', 'radio', 'boolean'].map((id) => ({ id, name: id, editor: () => null })),
  );
  // PanelPlugin.defaults runs the setPanelOptions builder and collects each option's default value.
  expect(plugin.defaults).toEqual(DEFAULT_OPTIONS);
});
