import React, { useState } from 'react';
import { dateTimeFormat } from '@grafana/data';
import { Badge, Button, Checkbox, ConfirmModal, InteractiveTable } from '@grafana/ui';
import { BENCHMARK_CANCELLED, type BenchmarkRun } from '@anomalog/shared';

type Cell = { row: { original: BenchmarkRun } };

/** "isolation-forest 0.874 / 0.951" per detector: F1 and ROC-AUC, the two figures runs are compared on. */
function summary(run: BenchmarkRun): string {
  return run.results.map((r) => `${r.detector} ${r.f1.toFixed(3)} / ${r.roc_auc.toFixed(3)}`).join(', ');
}

/** Saves a run as JSON (its request's dataset and detectors, results and curves) in the browser. */
export function exportRun(run: BenchmarkRun): void {
  const blob = new Blob([JSON.stringify(run, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `benchmark-${(run.name ?? run.dataset).replace(/[^\w.-]+/g, '_')}-${run.id}.json`;
  link.click();
  URL.revokeObjectURL(link.href);
}

const cancelled = (run: BenchmarkRun) => run.state === 'failed' && run.message === BENCHMARK_CANCELLED;
const finished = (run: BenchmarkRun) => run.state === 'done' || run.state === 'failed';

/**
 * Earlier runs (newest first); ticked ones are drawn on the curves next to the current run. A
 * finished run can be deleted (after a confirmation) when `onDelete` is given (editors).
 */
export function EarlierRuns({
  runs,
  compared,
  onToggle,
  onDelete,
}: {
  runs: BenchmarkRun[];
  compared: string[];
  onToggle: (id: string) => void;
  onDelete?: (run: BenchmarkRun) => void;
}) {
  const [deleting, setDeleting] = useState<BenchmarkRun>();
  const columns = [
    {
      id: 'compare',
      header: 'Compare',
      cell: ({ row }: Cell) =>
        row.original.results.length > 0 ? (
          <Checkbox
            aria-label={`Compare run ${row.original.id}`}
            value={compared.includes(row.original.id)}
            onChange={() => onToggle(row.original.id)}
          />
        ) : null,
    },
    {
      id: 'startedAt',
      header: 'Started',
      sortType: 'string' as const,
      cell: ({ row }: Cell) => dateTimeFormat(row.original.startedAt, { format: 'YYYY-MM-DD HH:mm:ss' }),
    },
    {
      id: 'name',
      header: 'Name',
      sortType: 'string' as const,
      cell: ({ row }: Cell) => row.original.name ?? '–',
    },
    { id: 'dataset', header: 'Dataset', sortType: 'string' as const },
    {
      id: 'state',
      header: 'State',
      cell: ({ row }: Cell) => (
        <Badge
          text={cancelled(row.original) ? 'cancelled' : row.original.state}
          color={
            row.original.state === 'done'
              ? 'green'
              : cancelled(row.original)
                ? 'orange'
                : row.original.state === 'failed'
                  ? 'red'
                  : 'blue'
          }
          tooltip={row.original.message}
        />
      ),
    },
    { id: 'f1', header: 'F1 / ROC-AUC by detector', cell: ({ row }: Cell) => summary(row.original) },
    {
      id: 'export',
      header: '',
      cell: ({ row }: Cell) => (
        <Button
          size="sm"
          variant="secondary"
          icon="download-alt"
          aria-label={`Export run ${row.original.id}`}
          onClick={() => exportRun(row.original)}
        >
          JSON
        </Button>
      ),
    },
    {
      id: 'delete',
      header: '',
      cell: ({ row }: Cell) =>
        onDelete && finished(row.original) ? (
          <Button
            size="sm"
            variant="destructive"
            fill="outline"
            icon="trash-alt"
            aria-label={`Delete run ${row.original.id}`}
            onClick={() => setDeleting(row.original)}
          >
            Delete
          </Button>
        ) : null,
    },
  ];
  return (
    <>
      <InteractiveTable getRowId={(r: BenchmarkRun) => r.id} data={runs} columns={columns} />
      <ConfirmModal
        isOpen={deleting !== undefined}
        title="Delete benchmark run"
        body={
          deleting
            ? `Delete the run ${deleting.name ?? deleting.dataset} of ${dateTimeFormat(deleting.startedAt, { format: 'YYYY-MM-DD HH:mm:ss' })} and its results? This cannot be undone.`
            : ''
        }
        confirmText="Delete"
        onConfirm={() => {
          if (deleting) {
            onDelete?.(deleting);
          }
          setDeleting(undefined);
        }}
        onDismiss={() => setDeleting(undefined)}
      />
    </>
  );
}
