import React, { useState } from 'react';
import { Field, InteractiveTable, Slider, Text } from '@grafana/ui';
import { bestF1, readAtRecall, type CurveReading } from './curves';
import type { ResultRow } from './ResultsTable';

type Cell = { row: { original: Row } };
type Row = { key: string; label: string; at?: CurveReading; best?: CurveReading; result: ResultRow };

const fmt = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v.toFixed(3) : '–');

/**
 * What another threshold would give: a recall to reach, and per detector the precision, F1 and FPR of
 * the threshold that reaches it (read off its PR and ROC curves), next to what its configured threshold
 * gave and the best F1 any threshold gives. Explains an F1 near 0 beside a good ROC-AUC: the ranking
 * is fine, the threshold is not.
 */
export function ThresholdExplorer({ results }: { results: ResultRow[] }) {
  const [recall, setRecall] = useState(0.8);
  const rows: Row[] = results
    .filter((r) => (r.pr?.length ?? 0) > 0)
    .map((r) => ({
      key: `${r.run ?? ''}/${r.detector}`,
      label: r.run ? `${r.detector} (${r.run})` : r.detector,
      at: readAtRecall(r, recall),
      best: bestF1(r),
      result: r,
    }));
  if (rows.length === 0) {
    return null;
  }
  const columns = [
    { id: 'label', header: 'Detector' },
    {
      id: 'configured',
      header: 'At its threshold: P / R / F1',
      cell: ({ row }: Cell) =>
        `${fmt(row.original.result.precision)} / ${fmt(row.original.result.recall)} / ${fmt(row.original.result.f1)}`,
    },
    { id: 'precision', header: 'Precision', cell: ({ row }: Cell) => fmt(row.original.at?.precision) },
    { id: 'f1', header: 'F1', cell: ({ row }: Cell) => fmt(row.original.at?.f1) },
    { id: 'fpr', header: 'FPR', cell: ({ row }: Cell) => fmt(row.original.at?.fpr) },
    {
      id: 'best',
      header: 'Best F1 (at recall)',
      cell: ({ row }: Cell) =>
        row.original.best ? `${fmt(row.original.best.f1)} (${fmt(row.original.best.recall)})` : '–',
    },
  ];
  return (
    <section aria-label="Threshold explorer">
      <h4>Another threshold</h4>
      <Text color="secondary">
        Move the recall a threshold should reach: the table shows what each detector then gives, read off its curves.
      </Text>
      <Field label={`Recall to reach: ${recall.toFixed(2)}`} noMargin>
        <Slider min={0} max={1} step={0.01} value={recall} onChange={setRecall} ariaLabelForHandle="Recall to reach" />
      </Field>
      <InteractiveTable columns={columns} data={rows} getRowId={(r: Row) => r.key} />
    </section>
  );
}
