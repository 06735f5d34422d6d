import { ModelConfig, validateWithDefaults, type ModelVersion, type TrainingJob } from '@anomalog/shared';
import { detectorStates } from './detectors';

const defaults = () => {
  const result = validateWithDefaults(ModelConfig, {});
  if (!result.ok) {
    throw new Error('defaults');
  }
  return result.value as ModelConfig;
};
const version = (detectors: ModelVersion['detectors']): ModelVersion => ({
  version: 2,
  service: 'web',
  createdAt: '2026-01-01T00:00:00.000Z',
  trainedFrom: '2026-01-01T00:00:00.000Z',
  trainedTo: '2026-01-01T00:00:00.000Z',
  records: 300,
  detectors,
  metrics: {},
  active: true,
});
const byName = (states: ReturnType<typeof detectorStates>) => Object.fromEntries(states.map((s) => [s.name, s]));

test('running = in the active version; enabled but absent says why; disabled ones are disabled', () => {
  const config = defaults();
  const states = byName(detectorStates(config, version(['isolation-forest', 'one-class-svm', 'lof'])));
  expect(states['isolation-forest'].state).toBe('running');
  expect(states.autoencoder.state).toBe('disabled');
  // the default: window sessions, LSTM enabled but never trained
  expect(states.lstm).toMatchObject({ state: 'not-running', reason: expect.stringMatching(/set a session key/) });
});

test('the reason the last training gave (its job message) wins', () => {
  const job: TrainingJob = {
    id: 'j1',
    service: 'web',
    state: 'done',
    progress: 1,
    version: 2,
    message:
      'version 2; not run live: session/window counts (fewer than 20 windows of 60 s in the training records), lstm (fewer than 20 sessions: set a session key)',
  };
  const states = byName(detectorStates(defaults(), version(['isolation-forest']), job));
  expect(states.lstm).toEqual({
    name: 'lstm',
    state: 'not-running',
    reason: 'fewer than 20 sessions: set a session key',
  });
  expect(states.lof).toMatchObject({
    state: 'not-running',
    reason: expect.stringMatching(/not in the active version 2/),
  });
});

test('no active version: nothing runs yet', () => {
  const states = detectorStates(defaults(), undefined);
  expect(states.filter((s) => s.state === 'running')).toEqual([]);
  expect(byName(states)['isolation-forest']).toMatchObject({ reason: 'no model trained yet' });
});
