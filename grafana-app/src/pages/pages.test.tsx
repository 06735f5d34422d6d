import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ModelConfig, validateWithDefaults, type BenchmarkRun } from '@anomalog/shared';
import { installFakeBackend } from '../test-utils/fakeBackend';
import { ModelsPage } from './Models';
import { BenchmarksPage } from './Benchmarks';

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
    expect(await screen.findByText('Run running 50 %')).toBeInTheDocument();
    expect(await screen.findByText('0.847', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'ROC chart' })).toBeInTheDocument();
  });
});
