import type { DetectorName, ModelConfig, ModelVersion, TrainingJob } from '@anomalog/shared';

/** Human names and one-line help per detector, for the Models page. */
export const DETECTOR_INFO: Record<DetectorName, { label: string; help: string }> = {
  'isolation-forest': {
    label: 'Isolation Forest',
    help: 'Isolates rare records with random splits; fast, a good default for every service.',
  },
  'one-class-svm': {
    label: 'One-class SVM',
    help: 'Learns a boundary around normal records; slower on large training sets.',
  },
  lof: {
    label: 'Local Outlier Factor',
    help: 'Flags records in sparse neighbourhoods compared with their neighbours.',
  },
  autoencoder: {
    label: 'Autoencoder',
    help: 'A neural network that reconstructs normal records; off by default (training takes seconds to minutes).',
  },
  lstm: {
    label: 'LSTM (DeepLog)',
    help: 'Learns the order of templates within a session and flags an unexpected next one; needs a session key.',
  },
};

export type DetectorState =
  | { name: DetectorName; state: 'running' }
  | { name: DetectorName; state: 'not-running'; reason: string }
  | { name: DetectorName; state: 'disabled' };

/** The reason the processor gave at training for not running this detector live (the job's message). */
function skippedReason(name: DetectorName, job?: TrainingJob): string | undefined {
  const skipped = job?.state === 'done' ? /not run live: (.*)$/.exec(job.message ?? '')?.[1] : undefined;
  return skipped
    ?.split(/,\s*(?=[a-z-]+ \()/)
    .find((part) => part.startsWith(`${name} `))
    ?.slice(name.length + 1)
    .replace(/^\((.*)\)$/, '$1');
}

/**
 * Which detectors really score a service's records: the ones in its active version. An enabled one that
 * is not there gets the reason the last training gave or, without one, the most likely cause.
 */
export function detectorStates(
  config: ModelConfig,
  active: ModelVersion | undefined,
  job?: TrainingJob,
): DetectorState[] {
  return (Object.keys(DETECTOR_INFO) as DetectorName[]).map((name): DetectorState => {
    if (!config.detectors[name].enabled) {
      return { name, state: 'disabled' };
    }
    if (active?.detectors.includes(name)) {
      return { name, state: 'running' };
    }
    const reason =
      skippedReason(name, job) ??
      (!active
        ? 'no model trained yet'
        : name === 'lstm' && config.sessionKey.kind === 'window'
          ? 'sessions are time windows, which give the LSTM no ordered sessions to learn: set a session key (trace, attribute or regex) and retrain'
          : `not in the active version ${active.version} (enabled after it was trained, or skipped at training): retrain`);
    return { name, state: 'not-running', reason };
  });
}
