import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Checkbox, Combobox, InteractiveTable, Stack, useStyles2 } from '@grafana/ui';
import type { BenchmarkResult, BenchmarkRun, DetectorName } from '@anomalog/shared';
import { benchmarkApi } from '../api/client';
import { LoadState } from '../components/common/States';
import { Curve } from '../components/Curve';

const DETECTORS: DetectorName[] = ['isolation-forest', 'one-class-svm', 'lof', 'autoencoder', 'lstm'];
const POLL_MS = 1000;
const fmt = (v: number) => v.toFixed(3);

const RESULT_COLUMNS = [
  { id: 'detector', header: 'Detector' },
  ...(['precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'fpr'] as const).map((id) => ({
    id,
    header: id.replace('_', '-').toUpperCase(),
    sortType: 'number' as const,
    cell: ({ row }: { row: { original: BenchmarkResult } }) => fmt(row.original[id]),
  })),
  { id: 'fit_s', header: 'Fit (s)', sortType: 'number' as const },
  { id: 'records_per_s', header: 'Scoring (records/s)', sortType: 'number' as const },
];

export function BenchmarksPage() {
  const styles = useStyles2(getStyles);
  const [datasets, setDatasets] = useState<string[]>([]);
  const [dataset, setDataset] = useState<string>();
  const [detectors, setDetectors] = useState<DetectorName[]>(['isolation-forest']);
  const [run, setRun] = useState<BenchmarkRun>();
  const [earlier, setEarlier] = useState<BenchmarkRun[]>([]);
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    Promise.all([benchmarkApi.datasets(), benchmarkApi.runs()])
      .then(([names, runs]) => {
        setDatasets(names);
        setDataset(names[0]);
        setEarlier(runs);
      })
      .catch(setError)
      .finally(() => setLoading(false));
  }, []);

  useEffect(() => {
    if (!run || run.state === 'done' || run.state === 'failed') {
      return;
    }
    const timer = setTimeout(() => benchmarkApi.run(run.id).then(setRun).catch(setError), POLL_MS);
    return () => clearTimeout(timer);
  }, [run]);

  const toggle = (d: DetectorName) =>
    setDetectors((list) => (list.includes(d) ? list.filter((x) => x !== d) : [...list, d]));
  const start = () => dataset && benchmarkApi.start({ dataset, detectors }).then(setRun).catch(setError);
  const results = run?.results ?? [];

  return (
    <div className={styles.page}>
      <LoadState
        loading={loading}
        error={error}
        empty={!loading && datasets.length === 0}
        emptyText="The processor offers no datasets; upload a labeled file."
      />
      <Stack alignItems="center" wrap="wrap">
        <Combobox
          width={30}
          placeholder="Dataset"
          options={datasets.map((d) => ({ label: d, value: d }))}
          value={dataset ?? null}
          onChange={(o) => setDataset(o?.value)}
        />
        {DETECTORS.map((d) => (
          <Checkbox key={d} label={d} value={detectors.includes(d)} onChange={() => toggle(d)} />
        ))}
        <Button onClick={start} disabled={!dataset || detectors.length === 0 || run?.state === 'running'}>
          Run benchmark
        </Button>
        {run && <span>{`Run ${run.state} ${Math.round(run.progress * 100)} %`}</span>}
      </Stack>
      {results.length > 0 && (
        <>
          <InteractiveTable columns={RESULT_COLUMNS} data={results} getRowId={(r: BenchmarkResult) => r.detector} />
          <Stack>
            <Curve
              title="ROC"
              xLabel="false-positive rate"
              yLabel="true-positive rate"
              series={results.map((r) => ({ name: r.detector, points: r.roc ?? [] }))}
            />
            <Curve
              title="Precision-recall"
              xLabel="recall"
              yLabel="precision"
              series={results.map((r) => ({ name: r.detector, points: r.pr ?? [] }))}
            />
          </Stack>
        </>
      )}
      {earlier.length > 0 && (
        <InteractiveTable
          getRowId={(r: BenchmarkRun) => r.id}
          data={earlier}
          columns={[
            { id: 'startedAt', header: 'Earlier run', sortType: 'string' as const },
            { id: 'dataset', header: 'Dataset' },
            {
              id: 'f1',
              header: 'F1 by detector',
              cell: ({ row }: { row: { original: BenchmarkRun } }) =>
                row.original.results.map((r) => `${r.detector} ${fmt(r.f1)}`).join(', '),
            },
          ]}
        />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
