import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ModelConfig, validateWithDefaults, type BenchmarkRun } from '@anomalog/shared';
import { installFakeBackend } from '../test-utils/fakeBackend';
import { ModelsPage } from './Models';
import { BenchmarksPage } from './Benchmarks';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

const defaults = validateWithDefaults(ModelConfig, {});
const service = {
  service: 'checkout',
  status: 'learning',
  recordsSeen: 500,
  templates: 12,
  anomalies: 0,
  learningProgress: 0.25,
};

describe('Models page', () => {
  test('shows the learning state, and saves an edited parameter through the proxy', async () => {
    const calls = installFakeBackend({
      'GET /services': () => [service],
      'GET /services/checkout/model': () => (defaults.ok ? defaults.value : {}),
      'GET /services/checkout/versions': () => [],
      'PUT /services/checkout/model': (r) => r.data,
    });
    render(<ModelsPage />);
    expect(await screen.findByText('Model still learning')).toBeInTheDocument();
    fireEvent.change(await screen.findByLabelText('Window length (s)'), { target: { value: '120' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved')).toBeInTheDocument();
    const put = calls.find((c) => c.method === 'PUT');
    expect((put?.data as { sessionKey: { windowSeconds: number } }).sessionKey.windowSeconds).toBe(120);
  });
});

describe('Models page truth', () => {
  const scoring = { ...service, status: 'scoring', learningProgress: 1, activeVersion: 1 };
  const version = {
    version: 1,
    service: 'checkout',
    createdAt: '2026-01-01T10:00:00.000Z',
    trainedFrom: '2026-01-01T09:00:00.000Z',
    trainedTo: '2026-01-01T09:59:00.000Z',
    records: 300,
    detectors: ['isolation-forest', 'one-class-svm', 'lof'],
    metrics: {},
    active: true,
  };
  const config = () => (defaults.ok ? JSON.parse(JSON.stringify(defaults.value)) : {});

  test('the summary says what runs, what does not and why, the last error; a training says what it made', async () => {
    let jobPolls = 0;
    installFakeBackend({
      'GET /services': () => [{ ...scoring, lastError: 'training failed: out of memory' }],
      'GET /services/checkout/model': config,
      'GET /services/checkout/versions': () => [version],
      'POST /services/checkout/train': () => ({ id: 'j1', service: 'checkout', state: 'queued', progress: 0 }),
      'GET /jobs/j1': () =>
        ++jobPolls < 2
          ? { id: 'j1', service: 'checkout', state: 'running', progress: 0.45, message: 'fitting lof' }
          : {
              id: 'j1',
              service: 'checkout',
              state: 'done',
              progress: 1,
              version: 1,
              message: 'version 1; not run live: lstm (fewer than 20 sessions: set a session key)',
            },
    });
    render(<ModelsPage />);
    const summary = await screen.findByRole('region', { name: 'Model summary' });
    expect(
      within(summary).getByText(/Active version 1, trained 2026-01-01 10:00:00 on 300 records/),
    ).toBeInTheDocument();
    expect(
      within(summary).getByText(
        'Scoring with: Isolation Forest, One-class SVM, Local Outlier Factor, and the unseen-template rule.',
      ),
    ).toBeInTheDocument();
    expect(
      within(summary).getByText(/LSTM \(DeepLog\) is enabled but does not run: sessions are time windows/),
    ).toBeInTheDocument();
    expect(within(summary).getByText('training failed: out of memory')).toBeInTheDocument();
    // the detectors form: disabled ones collapsed, enabled ones open with their state
    const detectors = screen.getByRole('region', { name: 'Detectors' });
    expect(within(detectors).getAllByText('enabled, not running')).toHaveLength(1);
    expect(within(detectors).getByText('disabled')).toBeInTheDocument();
    expect(within(detectors).queryByLabelText('Hidden layer sizes')).not.toBeInTheDocument(); // autoencoder: collapsed
    expect(within(detectors).getByLabelText('Trees')).toBeInTheDocument(); // isolation forest: open
    expect(within(detectors).getAllByText('Parameters').length).toBeGreaterThan(0);

    fireEvent.click(screen.getByRole('button', { name: 'Train / retrain' }));
    expect(await screen.findByText('Training running 45 %: fitting lof', {}, { timeout: 3000 })).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Training done: version 1; not run live: lstm (fewer than 20 sessions: set a session key)',
        {},
        { timeout: 3000 },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/100 %/)).not.toBeInTheDocument();
    expect(
      within(summary).getByText(
        /LSTM \(DeepLog\) is enabled but does not run: fewer than 20 sessions: set a session key/,
      ),
    ).toBeInTheDocument();
  });

  test('switching service with unsaved edits asks first; keeping them stays, discarding switches', async () => {
    installFakeBackend({
      'GET /services': () => [scoring, { ...scoring, service: 'web' }],
      'GET /services/checkout/model': config,
      'GET /services/web/model': config,
      'GET /services/checkout/versions': () => [version],
      'GET /services/web/versions': () => [],
    });
    render(<ModelsPage />);
    fireEvent.change(await screen.findByLabelText('Window length (s)'), { target: { value: '90' } });
    expect(screen.getByText('unsaved changes')).toBeInTheDocument();
    // (the combobox's option list is virtualised and has no size in jsdom: chosen by keyboard)
    const choose = async (name: string) => {
      const input = screen.getAllByRole('combobox')[0];
      await act(async () => {
        fireEvent.change(input, { target: { value: name } });
        fireEvent.keyDown(input, { key: 'ArrowDown' });
        fireEvent.keyDown(input, { key: 'Enter' });
      });
    };
    await choose('web');
    expect(await screen.findByText('Discard unsaved changes?')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Keep editing' }));
    expect(screen.getByLabelText('Window length (s)')).toHaveValue(90);
    await choose('web');
    fireEvent.click(await screen.findByRole('button', { name: 'Discard changes' }));
    await waitFor(() => expect(screen.queryByText('unsaved changes')).not.toBeInTheDocument());
    expect(await screen.findByText('No model trained yet')).toBeInTheDocument();
  });
});

describe('Benchmarks page', () => {
  test('runs a benchmark, follows it to done and shows the results table and curves', async () => {
    const done: BenchmarkRun = {
      id: 'r1',
      dataset: 'hdfs-small',
      detectors: ['isolation-forest'],
      state: 'done',
      progress: 1,
      startedAt: '2026-01-01T00:00:00Z',
      results: [
        {
          dataset: 'hdfs-small',
          detector: 'isolation-forest',
          precision: 0.9,
          recall: 0.8,
          f1: 0.847,
          roc_auc: 0.95,
          pr_auc: 0.88,
          fpr: 0.01,
          fit_s: 0.5,
          score_s: 0.125,
          records_per_s: 12000,
          roc: [
            [0, 0],
            [0.1, 0.8],
            [1, 1],
          ],
          pr: [
            [0, 1],
            [1, 0.5],
          ],
        },
      ],
    };
    installFakeBackend({
      'GET /benchmarks/datasets': () => ['hdfs-small'],
      'GET /benchmarks': () => [],
      'POST /benchmarks': () => ({ ...done, state: 'running', progress: 0.5, results: [] }),
      'GET /benchmarks/r1': () => done,
    });
    render(<BenchmarksPage />);
    const run = await screen.findByRole('button', { name: 'Run benchmark' });
    await waitFor(() => expect(run).toBeEnabled());
    fireEvent.click(run);
    expect(await screen.findByText(/^Run running 50 %/)).toBeInTheDocument();
    expect(await screen.findByText('0.847', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'ROC chart' })).toBeInTheDocument();
  });
});
