import React, { useCallback, useEffect, useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Badge, Button, Combobox, ConfirmModal, InteractiveTable, Stack, useStyles2 } from '@grafana/ui';
import { ModelConfig, type ModelVersion, type ServiceSummary, type TrainingJob } from '@anomalog/shared';
import { api, modelApi } from '../api/client';
import { LoadState } from '../components/common/States';
import { SchemaForm, type SchemaNode } from '../components/SchemaForm/SchemaForm';
import { validateModelConfig } from '../components/SchemaForm/validate';
import { irrelevantFields } from '../components/SchemaForm/modelRules';
import { canWrite, NEEDS_EDITOR } from '../state/permissions';
import { describeMetrics } from '../components/models/versionMetrics';
import { detectorStates } from '../components/models/detectors';
import { DetectorsForm } from '../components/models/DetectorsForm';
import { ModelSummary } from '../components/models/ModelSummary';

const POLL_MS = 1000;
const formatTime = (iso: string) => dateTimeFormat(iso, { format: 'YYYY-MM-DD HH:mm:ss' });
/** The detectors are their own grouped form (DetectorsForm), below the rest of the config. */
const DETECTORS_POINTER = '/detectors';
const DETECTORS_SCHEMA = (ModelConfig as SchemaNode).properties!.detectors;

export function ModelsPage() {
  const styles = useStyles2(getStyles);
  const [services, setServices] = useState<ServiceSummary[]>([]);
  const [service, setService] = useState<string>();
  const [config, setConfig] = useState<Record<string, unknown>>();
  // the config as the processor has it, to tell unsaved edits apart
  const [stored, setStored] = useState<string>();
  const [switchTo, setSwitchTo] = useState<string>();
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
      .then((c) => {
        setConfig(c as Record<string, unknown>);
        setStored(JSON.stringify(c));
      })
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
  // A finished job changes the versions and the service's status and last error.
  useEffect(() => {
    if (job?.state === 'done' || job?.state === 'failed') {
      reload();
      api.services().then(setServices).catch(setError);
    }
  }, [job?.state, reload]);

  const errors = config ? validateModelConfig(config) : {};
  const writable = canWrite();
  const summary = services.find((s) => s.service === service);
  const active = versions.find((v) => v.active);
  const states = config
    ? detectorStates(config as ModelConfig, active, job?.service === service ? job : undefined)
    : [];
  const dirty = config !== undefined && stored !== undefined && JSON.stringify(config) !== stored;

  // Leaving the page (reload, close) with unsaved edits asks the browser's own question.
  useEffect(() => {
    if (!dirty) {
      return;
    }
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const showService = (next: string | undefined) => {
    setSaved(false);
    setJob(undefined);
    setConfig(undefined);
    setStored(undefined);
    setService(next);
  };
  const chooseService = (next: string | undefined) => {
    if (next === service) {
      return;
    }
    if (dirty && next) {
      setSwitchTo(next);
    } else {
      showService(next);
    }
  };

  const save = () => {
    if (!service || !config) {
      return;
    }
    setSaved(false);
    modelApi
      .saveConfig(service, config as ModelConfig)
      .then((c) => {
        setConfig(c as Record<string, unknown>);
        setStored(JSON.stringify(c));
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
          onChange={(o) => chooseService(o?.value)}
        />
        {dirty && <Badge color="orange" text="unsaved changes" />}
      </Stack>
      {switchTo && (
        <ConfirmModal
          isOpen
          title="Discard unsaved changes?"
          body={`The model settings of ${service} have changes that are not saved. Switch to ${switchTo} and drop them?`}
          confirmText="Discard changes"
          dismissText="Keep editing"
          onConfirm={() => {
            showService(switchTo);
            setSwitchTo(undefined);
          }}
          onDismiss={() => setSwitchTo(undefined)}
        />
      )}
      <LoadState
        loading={loading}
        error={error}
        empty={services.length === 0}
        emptyText="No services yet: send logs through the processor, and a model appears per service."
      />
      {summary && config && (
        <ModelSummary
          summary={summary}
          active={active}
          states={states}
          job={job?.service === service ? job : undefined}
        />
      )}
      {config && (
        <>
          <SchemaForm
            schema={ModelConfig as SchemaNode}
            value={config}
            errors={errors}
            onChange={setConfig}
            hidden={new Set([...irrelevantFields(config), DETECTORS_POINTER])}
          />
          <DetectorsForm
            schema={DETECTORS_SCHEMA}
            value={(config.detectors as Record<string, unknown>) ?? {}}
            errors={errors}
            states={states}
            onChange={(detectors) => setConfig({ ...config, detectors })}
          />
          <Stack>
            <Button
              onClick={save}
              disabled={!writable || !dirty || Object.keys(errors).length > 0}
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
            {saved && !dirty && <span>Saved</span>}
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
