import React from 'react';
import { dateTimeFormat } from '@grafana/data';
import { Alert, Badge, Stack, Text } from '@grafana/ui';
import { UNSEEN_DETECTOR, type ModelVersion, type ServiceSummary, type TrainingJob } from '@anomalog/shared';
import { DETECTOR_INFO, type DetectorState } from './detectors';

const STATUS_COLOR = { learning: 'blue', training: 'orange', scoring: 'green', error: 'red' } as const;
const formatTime = (iso: string) => dateTimeFormat(iso, { format: 'YYYY-MM-DD HH:mm:ss' });

/** A training job as a user reads it: what it does now, and at the end what it made (never a bare 100 %). */
export function describeJob(job: TrainingJob): string {
  const percent = `${Math.round(job.progress * 100)} %`;
  switch (job.state) {
    case 'queued':
      return 'Training queued';
    case 'running':
      return `Training running ${percent}${job.message ? `: ${job.message}` : ''}`;
    case 'done':
      return `Training done: ${job.message ?? (job.version !== undefined ? `version ${job.version}` : 'no new version')}`;
    case 'failed':
      return `Training failed: ${job.message ?? 'no reason given; see the processor log'}`;
  }
}

/**
 * What really happens for a service: its status, the active version (when, on what), which detectors
 * score its records and why the others do not, the last error, and the training under way.
 */
export function ModelSummary({
  summary,
  active,
  states,
  job,
}: {
  summary: ServiceSummary;
  active?: ModelVersion;
  states: DetectorState[];
  job?: TrainingJob;
}) {
  const running = states.filter((s) => s.state === 'running');
  const scoringWithout = summary.status === 'scoring' && running.length === 0;
  return (
    <section aria-label="Model summary">
      <Stack direction="column" gap={1}>
        <Stack gap={1} alignItems="center">
          <Badge text={summary.status} color={STATUS_COLOR[summary.status]} />
          <Text>
            {active
              ? `Active version ${active.version}, trained ${formatTime(active.createdAt)} on ${active.records.toLocaleString('en')} records (${formatTime(active.trainedFrom)} – ${formatTime(active.trainedTo)})`
              : 'No model trained yet'}
          </Text>
        </Stack>
        <Text color="secondary">
          {`${summary.recordsSeen.toLocaleString('en')} records seen, ${summary.templates} templates, ${summary.anomalies} anomalies.`}
        </Text>
        {summary.status === 'learning' && (
          <Alert severity="info" title="Model still learning">
            {`${Math.round(summary.learningProgress * 100)} % of the learning period done; anomalies are scored once it ends.`}
          </Alert>
        )}
        <Text>
          {running.length > 0
            ? `Scoring with: ${running.map((s) => DETECTOR_INFO[s.name].label).join(', ')}, and the ${UNSEEN_DETECTOR} rule.`
            : `No trained detector scores this service: only the ${UNSEEN_DETECTOR} rule flags records.`}
        </Text>
        {scoringWithout && (
          <Alert severity="warning" title="Scoring without a detector">
            Every enabled detector was skipped at training; see below why, change the settings and retrain.
          </Alert>
        )}
        {states
          .filter((s) => s.state === 'not-running')
          .map((s) => (
            <Text key={s.name} color="warning">
              {`${DETECTOR_INFO[s.name].label} is enabled but does not run: ${s.state === 'not-running' ? s.reason : ''}.`}
            </Text>
          ))}
        {summary.lastError && (
          <Alert severity="error" title="Last error">
            {summary.lastError}
          </Alert>
        )}
        {job && (
          <Alert
            severity={job.state === 'failed' ? 'error' : job.state === 'done' ? 'success' : 'info'}
            title={describeJob(job)}
          />
        )}
      </Stack>
    </section>
  );
}
