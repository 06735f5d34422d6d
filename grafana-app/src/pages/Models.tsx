import React, { useCallback, useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Button, Combobox, InteractiveTable, Stack, useStyles2 } from '@grafana/ui';
import { ModelConfig, type ModelVersion, type ServiceSummary, type TrainingJob } from '@anomalog/shared';
import { api, modelApi } from '../api/client';
import { LoadState } from '../components/common/States';
import { SchemaForm, type SchemaNode } from '../components/SchemaForm/SchemaForm';
import { validateModelConfig } from '../components/SchemaForm/validate';
import { irrelevantFields } from '../components/SchemaForm/modelRules';
import { canWrite, NEEDS_EDITOR } from '../state/permissions';
import { describeMetrics } from '../components/models/versionMetrics';

const POLL_MS = 1000;
const formatTime = (iso: string) => dateTimeFormat(iso, { format: 'YYYY-MM-DD HH:mm:ss' });
const STATUS_COLOR = { learning: 'blue', training: 'orange', scoring: 'green', error: 'red' } as const;

export function ModelsPage() {
  const styles = useStyles2(getStyles);
  const [services, setServices] = useState<ServiceSummary[]>([]);
  const [service, setService] = useState<string>();
  const [config, setConfig] = useState<Record<string, unknown>>();
  const [versions, setVersions] = useState<ModelVersion[]>([]);
  const [job, setJob] = useState<TrainingJob>();
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    api
      .services()
      .then((list) => {
        setServices(list);
        setService((s) => s ?? list[0]?.service);
      })
      .catch(setError)
      .finally(() => setLoading(false));
  }, []);

  const reload = useCallback(() => {
    if (!service) {
      return;
    }
    modelApi
      .config(service)
      .then((c) => setConfig(c as Record<string, unknown>))
      .catch(setError);
    modelApi.versions(service).then(setVersions).catch(setError);
  }, [service]);
  useEffect(reload, [reload]);

  // Follow a training job until it ends, then show the new version.
  useEffect(() => {
    if (!job || job.state === 'done' || job.state === 'failed') {
      return;
    }
    const timer = setTimeout(() => modelApi.job(job.id).then(setJob).catch(setError), POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);
  useEffect(() => {
    if (job?.state === 'done') {
      reload();
    }
  }, [job?.state, reload]);

  const errors = config ? validateModelConfig(config) : {};
  const writable = canWrite();
  const summary = services.find((s) => s.service === service);

  const save = () => {
    if (!service || !config) {
      return;
    }
    setSaved(false);
    modelApi
      .saveConfig(service, config as ModelConfig)
      .then((c) => {
        setConfig(c as Record<string, unknown>);
        setSaved(true);
      })
      .catch(setError);
  };

  return (
    <div className={styles.page}>
      <Stack alignItems="center">
        <Combobox
          width={40}
          placeholder="Service"
          options={services.map((s) => ({ label: s.service, value: s.service }))}
          value={service ?? null}
          onChange={(o) => setService(o?.value)}
        />
        {summary && <Badge text={summary.status} color={STATUS_COLOR[summary.status]} />}
      </Stack>
      <LoadState
        loading={loading}
        error={error}
        empty={services.length === 0}
        emptyText="No services yet: send logs through the processor, and a model appears per service."
      />
      {summary?.status === 'learning' && (
        <Alert severity="info" title="Model still learning">
          {`${Math.round(summary.learningProgress * 100)} % of the learning period done; anomalies are scored once it ends.`}
        </Alert>
      )}
      {config && (
        <>
          <SchemaForm
            schema={ModelConfig as SchemaNode}
            value={config}
            errors={errors}
            onChange={setConfig}
            hidden={irrelevantFields(config)}
          />
          <Stack>
            <Button
              onClick={save}
              disabled={!writable || Object.keys(errors).length > 0}
              tooltip={writable ? undefined : NEEDS_EDITOR}
            >
              Save
            </Button>
            <Button
              variant="secondary"
              disabled={!writable}
              tooltip={writable ? undefined : NEEDS_EDITOR}
              onClick={() => service && modelApi.train(service).then(setJob).catch(setError)}
            >
              Train / retrain
            </Button>
            {saved && <span>Saved</span>}
            {job && <span>{`Training ${job.state} ${Math.round(job.progress * 100)} %`}</span>}
          </Stack>
        </>
      )}
      {versions.length > 0 && (
        <InteractiveTable
          getRowId={(v: ModelVersion) => String(v.version)}
          data={versions}
          columns={[
            { id: 'version', header: 'Version' },
            {
              id: 'createdAt',
              header: 'Created',
              cell: ({ row }: { row: { original: ModelVersion } }) => formatTime(row.original.createdAt),
            },
            {
              id: 'records',
              header: 'Trained on',
              cell: ({ row }: { row: { original: ModelVersion } }) =>
                `${row.original.records} records, ${formatTime(row.original.trainedFrom)} – ${formatTime(row.original.trainedTo)}`,
            },
            {
              id: 'metrics',
              header: 'Metrics',
              cell: ({ row }: { row: { original: ModelVersion } }) => (
                <div>
                  {describeMetrics(row.original.metrics).map((line) => (
                    <div key={line}>{line}</div>
                  ))}
                </div>
              ),
            },
            {
              id: 'active',
              header: '',
              cell: ({ row }: { row: { original: ModelVersion } }) =>
                row.original.active ? (
                  <Badge text="active" color="green" />
                ) : (
                  <Button
                    size="sm"
                    variant="secondary"
                    disabled={!writable}
                    tooltip={writable ? undefined : NEEDS_EDITOR}
                    onClick={() =>
                      service && modelApi.rollback(service, row.original.version).then(reload).catch(setError)
                    }
                  >
                    Roll back to this
                  </Button>
                ),
            },
          ]}
        />
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), maxWidth: 900 }),
});
