import React from 'react';
import { render, screen } from '@testing-library/react';
import { config } from '@grafana/runtime';
import { ModelConfig, validateWithDefaults } from '@anomalog/shared';
import { installFakeBackend } from '../test-utils/fakeBackend';
import { ModelsPage } from '../pages/Models';
import { BenchmarksPage } from '../pages/Benchmarks';
import { canWrite, NEEDS_EDITOR } from './permissions';

const defaults = validateWithDefaults(ModelConfig, {});
const setRole = (orgRole: string | undefined) => {
  config.bootData = { ...config.bootData, user: { ...config.bootData?.user, orgRole } } as typeof config.bootData;
};

afterEach(() => setRole(undefined));

test('viewers (and users without an org role) may not write; editors, admins and unknown roles may', () => {
  for (const [role, expected] of [
    ['Viewer', false],
    ['None', false],
    ['Editor', true],
    ['Admin', true],
    [undefined, true],
  ] as const) {
    setRole(role);
    expect(canWrite()).toBe(expected);
  }
});

test('a viewer sees the model but Save, Train and benchmark runs are off, saying why', async () => {
  setRole('Viewer');
  installFakeBackend({
    'GET /services': () => [
      { service: 'web', status: 'scoring', recordsSeen: 9, templates: 2, anomalies: 0, learningProgress: 1 },
    ],
    'GET /services/web/model': () => (defaults.ok ? defaults.value : {}),
    'GET /services/web/versions': () => [],
    'GET /benchmarks/datasets': () => ['hdfs-100k'],
    'GET /benchmarks': () => [],
  });
  const { unmount } = render(<ModelsPage />);
  expect(await screen.findByLabelText('Window length (s)')).toBeInTheDocument();
  // Grafana's Button keeps a disabled button with a tooltip hoverable: aria-disabled, click ignored
  expect(screen.getByRole('button', { name: 'Save' })).toHaveAttribute('aria-disabled', 'true');
  expect(screen.getByRole('button', { name: 'Train / retrain' })).toHaveAttribute('aria-disabled', 'true');
  unmount();
  render(<BenchmarksPage />);
  expect(await screen.findByText(NEEDS_EDITOR)).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Run benchmark' })).toBeDisabled();
});
