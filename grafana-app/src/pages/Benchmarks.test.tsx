import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { BenchmarkRequest, BenchmarkResult, BenchmarkRun } from '@anomalog/shared';
import { installFakeBackend } from '../test-utils/fakeBackend';
import { BenchmarksPage } from './Benchmarks';
import { bestF1, comparisonRows, curveSeries, readAtRecall } from '../components/benchmarks/curves';
import { HDFS_LINE_FORMAT, uploadProblem, uploadRequest } from '../components/benchmarks/UploadFields';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

const result = (detector: string, f1: number): BenchmarkResult => ({
  dataset: 'upload',
  detector,
  precision: 0.9,
  recall: 0.8,
  f1,
  roc_auc: 0.97,
  pr_auc: 0.88,
  fpr: 0.004,
  fit_s: 0.25,
  score_s: 0.5,
  records_per_s: 123456,
  roc: [
    [0, 0],
    [0.1, 0.9],
    [1, 1],
  ],
  pr: [
    [0, 1],
    [1, 0.4],
  ],
});
const run = (id: string, results: BenchmarkResult[], state: BenchmarkRun['state'] = 'done'): BenchmarkRun => ({
  id,
  dataset: 'upload',
  detectors: results.map((r) => r.detector),
  state,
  progress: state === 'done' ? 1 : 0.5,
  startedAt: `2026-12-01T08:0${id.length}:00Z`,
  results,
});

const file = (name: string, text: string) => new File([text], name, { type: 'text/plain' });
const chooseFiles = (container: HTMLElement) => {
  const [log, labels] = container.querySelectorAll('input[type=file]');
  fireEvent.change(log, { target: { files: [file('hdfs.log', 'line 1\nline 2\n')] } });
  fireEvent.change(labels, { target: { files: [file('labels.csv', 'BlockId,Label\nblk_1,Normal\n')] } });
};

describe('Benchmarks page', () => {
  test('without named datasets it offers an upload; the request carries the files, format and regex', async () => {
    const done = run('r1', [result('isolation-forest', 0.812), { ...result('lstm', 0.9), epoch_s: 1.234 }]);
    const calls = installFakeBackend({
      'GET /benchmarks/datasets': () => [],
      'GET /benchmarks': () => [done],
      'POST /benchmarks': () => ({ ...done, state: 'running', progress: 0.5, results: [], message: 'fitting' }),
      'GET /benchmarks/r1': () => done,
    });
    const { container } = render(<BenchmarksPage />);
    expect(await screen.findByText(/No named datasets/)).toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Run benchmark' });
    expect(button).toBeDisabled();
    expect(screen.getByText('Choose the log file.')).toBeInTheDocument();
    chooseFiles(container);
    fireEvent.change(screen.getByLabelText(/Run name/), { target: { value: ' HDFS sample ' } });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    expect(await screen.findByText('fitting')).toBeInTheDocument();
    // progress shows the share, the step and the time it has run
    expect(screen.getByRole('progressbar', { name: 'Benchmark progress' })).toHaveAttribute('value', '0.5');
    expect(screen.getByText(/^Run running 50 %, \d+ s$/)).toBeInTheDocument();
    expect(await screen.findByText('0.812', {}, { timeout: 5000 })).toBeInTheDocument();
    const body = calls.find((c) => c.method === 'POST')?.data as BenchmarkRequest;
    expect(body).toEqual({
      dataset: 'upload',
      name: 'HDFS sample',
      detectors: ['isolation-forest'],
      upload: {
        log: 'line 1\nline 2\n',
        labels: 'BlockId,Label\nblk_1,Normal\n',
        lineFormat: HDFS_LINE_FORMAT,
        sessionRegex: 'blk_-?\\d+',
      },
    });
    for (const header of [
      'Precision',
      'Recall',
      'F1',
      'ROC-AUC',
      'PR-AUC',
      'FPR',
      'Fit time (s)',
      'Epoch (s)',
      'Scoring time (s)',
      'Scoring (records/s)',
    ]) {
      expect(screen.getAllByRole('columnheader', { name: header }).length).toBeGreaterThan(0);
    }
    expect(screen.getAllByText('123,456')).toHaveLength(2);
    expect(screen.getByText('1.234')).toBeInTheDocument(); // the LSTM's epoch time; '–' for Isolation Forest
  });

  test('a failed run shows its reason', async () => {
    installFakeBackend({
      'GET /benchmarks/datasets': () => ['hdfs-100k'],
      'GET /benchmarks': () => [],
      'POST /benchmarks': () => ({ ...run('r9', [], 'failed'), message: 'dataset hdfs-100k: missing file' }),
    });
    render(<BenchmarksPage />);
    const button = await screen.findByRole('button', { name: 'Run benchmark' });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    expect(await screen.findByText('The benchmark failed')).toBeInTheDocument();
    expect(screen.getByText('dataset hdfs-100k: missing file')).toBeInTheDocument();
  });

  test('a running run can be cancelled; a finished one deleted after a confirmation', async () => {
    let current: BenchmarkRun = { ...run('r2', [], 'running'), progress: 0.3, message: 'lof on hdfs: fitting' };
    const older = run('old', [result('lof', 0.7)]);
    let stored = [older];
    const calls = installFakeBackend({
      'GET /benchmarks/datasets': () => ['hdfs'],
      'GET /benchmarks': () => stored,
      'POST /benchmarks': () => current,
      'GET /benchmarks/r2': () => current,
      'POST /benchmarks/r2/cancel': () => (current = { ...current, state: 'failed', message: 'cancelled' }),
      'DELETE /benchmarks/old': () => {
        stored = [];
        return null;
      },
    });
    render(<BenchmarksPage />);
    const start = await screen.findByRole('button', { name: 'Run benchmark' });
    await waitFor(() => expect(start).toBeEnabled());
    fireEvent.click(start);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel run' }));
    expect(await screen.findByText('The benchmark was cancelled')).toBeInTheDocument();
    expect(screen.queryByText('The benchmark failed')).toBeNull();
    expect(screen.getByText('Run cancelled at 30 %')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();

    fireEvent.click(screen.getByLabelText('Delete run old'));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/Delete the run upload of .* and its results\?/)).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByLabelText('Compare run old')).toBeNull());
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual([
      expect.stringMatching(/\/benchmarks\/old$/),
    ]);
  });

  test('earlier runs ticked for comparison join the curves and the results table', async () => {
    const older = run('old', [result('lof', 0.7), result('isolation-forest', 0.6)]);
    installFakeBackend({
      'GET /benchmarks/datasets': () => [],
      'GET /benchmarks': () => [older],
    });
    render(<BenchmarksPage />);
    fireEvent.click(await screen.findByLabelText('Compare run old'));
    const roc = await screen.findByRole('img', { name: 'ROC chart' });
    expect(roc.querySelectorAll('polyline')).toHaveLength(2);
    // axes with ticks, the chance diagonal, an operating point per curve; the legend gives each AUC
    expect(within(roc).getAllByTestId('tick')).toHaveLength(5);
    expect(within(roc).getByTestId('diagonal')).toBeInTheDocument();
    expect(within(roc).getAllByTestId('operating-point')).toHaveLength(2);
    const legend = screen.getByRole('list', { name: 'ROC legend' });
    expect(
      within(legend).getByText(/^lof \(upload, .*\): ROC-AUC 0\.970, ● at threshold \(0\.00, 0\.80\)$/),
    ).toBeInTheDocument();
    expect(within(screen.getByRole('img', { name: 'Precision-recall chart' })).queryByTestId('diagonal')).toBeNull();
    // the threshold explorer reads each detector at the recall chosen
    expect(screen.getByRole('region', { name: 'Threshold explorer' })).toBeInTheDocument();
    const table = screen.getAllByRole('table')[0];
    expect(within(table).getByRole('columnheader', { name: 'Run' })).toBeInTheDocument();
    expect(within(table).getByText('0.700')).toBeInTheDocument();
  });
});

describe('benchmark helpers', () => {
  test('uploadProblem names what is missing or wrong', () => {
    const ok = { log: 'x', labels: 'y', sessionRegex: 'blk_\\d+' };
    expect(uploadProblem(ok)).toBeUndefined();
    expect(uploadProblem({ ...ok, log: '' })).toBe('Choose the log file.');
    expect(uploadProblem({ ...ok, labels: '' })).toMatch(/labels file/);
    expect(uploadProblem({ ...ok, sessionRegex: '(' })).toBe('The session regex does not compile.');
  });

  test('uploadRequest leaves out empty optional fields so the processor defaults apply', () => {
    expect(uploadRequest({ log: 'x', labels: 'y', lineFormat: '', sessionRegex: '' })).toEqual({
      log: 'x',
      labels: 'y',
    });
  });

  test('a run given a name is labelled by it', () => {
    const named = { ...run('n', [result('lof', 0.9)]), name: 'HDFS sample' };
    expect(comparisonRows(undefined, [named])[0].run).toBe('HDFS sample, 2026-12-01 08:01:00');
  });

  test('a detector read at another recall: interpolated precision, its F1 and the lowest FPR there', () => {
    const r = {
      ...result('lof', 0),
      roc: [
        [0, 0],
        [0.05, 0.5],
        [0.2, 0.8],
        [1, 1],
      ] as Array<[number, number]>,
      pr: [
        [0, 1],
        [0.5, 0.9],
        [0.8, 0.6],
        [1, 0.1],
      ] as Array<[number, number]>,
    };
    expect(readAtRecall(r, 0.5)).toEqual({ recall: 0.5, precision: 0.9, f1: (2 * 0.9 * 0.5) / 1.4, fpr: 0.05 });
    expect(readAtRecall(r, 0.7)).toMatchObject({ recall: 0.8, precision: 0.6, fpr: 0.2 });
    expect(readAtRecall({ ...r, pr: [] }, 0.5)).toBeUndefined();
    // F1 0 at the configured threshold can sit next to a good curve: the best threshold gives 0.686
    expect(bestF1(r)?.f1).toBeCloseTo(0.686, 3);
    expect(bestF1(r)?.recall).toBe(0.8);
  });

  test('curves and comparison rows name the compared runs', () => {
    const current = run('cur', [result('lof', 0.9)]);
    const older = run('older', [result('lof', 0.5)]);
    const { roc } = curveSeries(current, [older, current]);
    expect(roc.map((s) => s.name)).toEqual(['lof', 'lof (upload, 2026-12-01 08:05:00)']);
    expect(comparisonRows(current, [older]).map((r) => [r.run, r.f1])).toEqual([
      ['this run (upload, 2026-12-01 08:03:00)', 0.9],
      ['upload, 2026-12-01 08:05:00', 0.5],
    ]);
  });
});
