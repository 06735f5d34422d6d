import React, { useCallback, useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Checkbox, Combobox, Field, Input, Stack, Text, useStyles2 } from '@grafana/ui';
import { BENCHMARK_CANCELLED, DetectorName, type BenchmarkRun } from '@anomalog/shared';
import { benchmarkApi } from '../api/client';
import { LoadState } from '../components/common/States';
import { canWrite, NEEDS_EDITOR } from '../state/permissions';
import { Curve } from '../components/Curve';
import { comparisonRows, curveSeries } from '../components/benchmarks/curves';
import { EarlierRuns } from '../components/benchmarks/EarlierRuns';
import { ResultsTable } from '../components/benchmarks/ResultsTable';
import { ThresholdExplorer } from '../components/benchmarks/ThresholdExplorer';
import { RunProgress } from '../components/benchmarks/RunProgress';
import {
  EMPTY_UPLOAD,
  UploadFields,
  uploadProblem,
  uploadRequest,
  type Upload,
} from '../components/benchmarks/UploadFields';

const DETECTORS: DetectorName[] = DetectorName.anyOf.map((d) => d.const);
const UPLOAD = 'upload';
const POLL_MS = 1000;
const finished = (run?: BenchmarkRun) => run?.state === 'done' || run?.state === 'failed';

export function BenchmarksPage() {
  const styles = useStyles2(getStyles);
  const [datasets, setDatasets] = useState<string[]>([]);
  const [dataset, setDataset] = useState<string>(UPLOAD);
  const [upload, setUpload] = useState<Upload>(EMPTY_UPLOAD);
  const [name, setName] = useState('');
  const [detectors, setDetectors] = useState<DetectorName[]>(['isolation-forest']);
  const [run, setRun] = useState<BenchmarkRun>();
  const [earlier, setEarlier] = useState<BenchmarkRun[]>([]);
  const [compared, setCompared] = useState<string[]>([]);
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);

  const loadRuns = useCallback(() => benchmarkApi.runs().then(setEarlier).catch(setError), []);
  useEffect(() => {
    Promise.all([benchmarkApi.datasets(), benchmarkApi.runs()])
      .then(([names, runs]) => {
        setDatasets(names);
        setDataset(names[0] ?? UPLOAD);
        setEarlier(runs);
      })
      .catch(setError)
      .finally(() => setLoading(false));
  }, []);

  // Follow the run until it ends; then the list of runs has it too.
  useEffect(() => {
    if (!run || finished(run)) {
      return;
    }
    const timer = setTimeout(() => benchmarkApi.run(run.id).then(setRun).catch(setError), POLL_MS);
    return () => clearTimeout(timer);
  }, [run]);
  const state = run?.state;
  useEffect(() => {
    if (state === 'done' || state === 'failed') {
      loadRuns();
    }
  }, [state, loadRuns]);

  const toggle = (d: DetectorName) =>
    setDetectors((list) => (list.includes(d) ? list.filter((x) => x !== d) : [...list, d]));
  const problem = !canWrite()
    ? NEEDS_EDITOR
    : detectors.length === 0
      ? 'Choose at least one detector.'
      : dataset === UPLOAD
        ? uploadProblem(upload)
        : undefined;
  const start = () => {
    setError(undefined);
    benchmarkApi
      .start({
        dataset,
        detectors,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(dataset === UPLOAD ? { upload: uploadRequest(upload) } : {}),
      })
      .then(setRun)
      .catch(setError);
  };
  const cancel = (id: string) => {
    setError(undefined);
    benchmarkApi.cancel(id).then(setRun).catch(setError);
  };
  const remove = (gone: BenchmarkRun) => {
    setError(undefined);
    benchmarkApi
      .remove(gone.id)
      .then(() => {
        setEarlier((list) => list.filter((r) => r.id !== gone.id));
        setCompared((ids) => ids.filter((x) => x !== gone.id));
        setRun((current) => (current?.id === gone.id ? undefined : current));
      })
      .catch(setError);
  };
  const comparedRuns = earlier.filter((r) => compared.includes(r.id));
  const { roc, pr } = curveSeries(run, comparedRuns);
  const rows = comparedRuns.length > 0 ? comparisonRows(run, comparedRuns) : (run?.results ?? []);
  const toggleCompared = (id: string) =>
    setCompared((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));

  return (
    <div className={styles.page}>
      <LoadState loading={loading} error={error} empty={false} emptyText="" />
      <Stack direction="column" gap={1}>
        <Field label="Dataset" noMargin>
          <Combobox
            id="benchmark-dataset"
            width={30}
            options={[
              ...datasets.map((d) => ({ label: d, value: d })),
              { label: 'Upload a labeled file', value: UPLOAD },
            ]}
            value={dataset}
            onChange={(o) => setDataset(o?.value ?? UPLOAD)}
          />
        </Field>
        <Field label="Run name" description="To tell this run apart later (optional)" noMargin>
          <Input
            id="benchmark-name"
            width={40}
            maxLength={120}
            placeholder="e.g. HDFS sample, LOF k=20"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field label="Detectors" noMargin>
          <Stack wrap="wrap">
            {DETECTORS.map((d) => (
              <Checkbox key={d} label={d} value={detectors.includes(d)} onChange={() => toggle(d)} />
            ))}
          </Stack>
        </Field>
      </Stack>
      {!loading && datasets.length === 0 && (
        <Text color="secondary">
          No named datasets under the processor&apos;s api.datasetsDir (see docs/benchmarks.md); upload a labeled log
          instead.
        </Text>
      )}
      {dataset === UPLOAD && (
        <UploadFields value={upload} onChange={(patch) => setUpload((u) => ({ ...u, ...patch }))} />
      )}
      <Stack alignItems="center">
        <Button onClick={start} disabled={problem !== undefined || (run !== undefined && !finished(run))}>
          Run benchmark
        </Button>
        {problem && <Text color="secondary">{problem}</Text>}
        {run && <RunProgress run={run} />}
        {run && !finished(run) && (
          <Button
            variant="destructive"
            fill="outline"
            icon="times"
            onClick={() => cancel(run.id)}
            disabled={!canWrite()}
            tooltip={canWrite() ? undefined : NEEDS_EDITOR}
          >
            Cancel run
          </Button>
        )}
      </Stack>
      {run?.state === 'failed' && run.message === BENCHMARK_CANCELLED && (
        <Alert severity="info" title="The benchmark was cancelled" />
      )}
      {run?.state === 'failed' && run.message !== BENCHMARK_CANCELLED && (
        <Alert severity="error" title="The benchmark failed">
          {run.message ?? 'No reason given; see the processor log.'}
        </Alert>
      )}
      {rows.length > 0 && <ResultsTable results={rows} />}
      {roc.length > 0 && (
        <Stack wrap="wrap" gap={4}>
          <Curve
            title="ROC"
            xLabel="false-positive rate"
            yLabel="true-positive rate"
            aucLabel="ROC-AUC"
            diagonal
            series={roc}
          />
          <Curve title="Precision-recall" xLabel="recall" yLabel="precision" aucLabel="PR-AUC" series={pr} />
        </Stack>
      )}
      {rows.length > 0 && <ThresholdExplorer results={rows} />}
      {earlier.length > 0 && (
        <EarlierRuns
          runs={earlier}
          compared={compared}
          onToggle={toggleCompared}
          onDelete={canWrite() ? remove : undefined}
        />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
