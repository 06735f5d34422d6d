import React from 'react';
import { InteractiveTable } from '@grafana/ui';
import type { BenchmarkResult } from '@anomalog/shared';

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');
/** A result, labelled with its run when several runs are compared. */
export type ResultRow = BenchmarkResult & { run?: string };
type Cell = { row: { original: ResultRow } };

const METRICS = [
  ['precision', 'Precision'],
  ['recall', 'Recall'],
  ['f1', 'F1'],
  ['roc_auc', 'ROC-AUC'],
  ['pr_auc', 'PR-AUC'],
  ['fpr', 'FPR'],
] as const;

const COLUMNS = [
  { id: 'detector', header: 'Detector', sortType: 'string' as const },
  ...METRICS.map(([id, header]) => ({
    id,
    header,
    sortType: 'number' as const,
    cell: ({ row }: Cell) => fmt(row.original[id]),
  })),
  {
    id: 'fit_s',
    header: 'Fit time (s)',
    sortType: 'number' as const,
    cell: ({ row }: Cell) => fmt(row.original.fit_s),
  },
  {
    id: 'epoch_s',
    header: 'Epoch (s)',
    sortType: 'number' as const,
    // training time per epoch: the neural detectors only
    cell: ({ row }: Cell) => fmt(row.original.epoch_s ?? NaN),
  },
  {
    id: 'score_s',
    header: 'Scoring time (s)',
    sortType: 'number' as const,
    cell: ({ row }: Cell) => fmt(row.original.score_s),
  },
  {
    id: 'records_per_s',
    header: 'Scoring (records/s)',
    sortType: 'number' as const,
    cell: ({ row }: Cell) => Math.round(row.original.records_per_s).toLocaleString('en'),
  },
];

const RUN_COLUMN = { id: 'run', header: 'Run', sortType: 'string' as const };

/**
 * One row per detector: the threshold metrics, the ranking metrics, fit time (and per epoch) and scoring rate. With
 * rows of several runs (comparison), a Run column tells them apart.
 */
export function ResultsTable({ results }: { results: ResultRow[] }) {
  const compared = results.some((r) => r.run !== undefined);
  return (
    <InteractiveTable
      columns={compared ? [RUN_COLUMN, ...COLUMNS] : COLUMNS}
      data={results}
      getRowId={(r: ResultRow) => `${r.run ?? ''}/${r.detector}`}
    />
  );
}
