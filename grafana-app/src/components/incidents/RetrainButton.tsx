import React, { useEffect, useState } from 'react';
import { Button, Stack, Text } from '@grafana/ui';
import type { TrainingJob } from '@anomalog/shared';
import { modelApi } from '../../api/client';
import { canWrite, NEEDS_EDITOR } from '../../state/permissions';

const POLL_MS = 1000;

/** "Retrain now" for a service (suppressions and anomalies marked normal count as normal), with its job's progress. */
export function RetrainButton({ service, onDone }: { service: string; onDone?: () => void }) {
  const [job, setJob] = useState<TrainingJob>();
  const [error, setError] = useState<string>();
  const writable = canWrite();
  const running = job?.state === 'queued' || job?.state === 'running';
  useEffect(() => {
    if (!job || !running) {
      return;
    }
    const timer = setTimeout(() => {
      modelApi
        .job(job.id)
        .then((next) => {
          setJob(next);
          if (next.state === 'done') {
            onDone?.();
          }
        })
        .catch((e: Error) => setError(e.message));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job, running, onDone]);
  const start = () => {
    setError(undefined);
    modelApi
      .train(service)
      .then(setJob)
      .catch((e: Error) => setError(e.message));
  };
  return (
    <Stack gap={1} alignItems="center">
      <Button
        size="sm"
        variant="secondary"
        icon="sync"
        disabled={!writable || running}
        tooltip={writable ? `Train ${service}'s models now on its recent records` : NEEDS_EDITOR}
        onClick={start}
      >
        {`Retrain ${service} now`}
      </Button>
      {job && (
        <Text color={job.state === 'failed' ? 'error' : 'secondary'} aria-live="polite">
          {`Training ${job.state} ${Math.round(job.progress * 100)} %${job.version ? ` · version ${job.version}` : ''}${
            job.message ? ` · ${job.message}` : ''
          }`}
        </Text>
      )}
      {error && <Text color="error">{error}</Text>}
    </Stack>
  );
}
