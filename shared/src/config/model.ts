import { Type, type Static } from '@sinclair/typebox';
import { DetectorName } from '../detectors';

export { DetectorName };

/**
 * A service's model configuration: which detectors run on which features, their parameters and
 * thresholds. The processor validates updates with it and the Grafana app renders its forms from it
 * (titles, descriptions, bounds), so every field carries what a form needs.
 */

export const Threshold = Type.Object(
  {
    mode: Type.Union([Type.Literal('contamination'), Type.Literal('fpr')], {
      default: 'fpr',
      title: 'Threshold from',
      description: 'Expected share of anomalies in training data, or a target false-positive rate.',
    }),
    value: Type.Number({
      default: 0.005,
      minimum: 0,
      maximum: 0.5,
      title: 'Rate',
      description: 'Sessions and time windows: the tail probability of their training scores over which they alert.',
    }),
    records: Type.Number({
      default: 0.0001,
      minimum: 0,
      maximum: 0.5,
      title: 'Record rate',
      description:
        'Single records: the tail probability they alert at. Records are many, so a session rate would alarm on one normal record in 200; below one in the training records, the cut is extrapolated beyond the training maximum by the fitted tail.',
    }),
  },
  { default: {}, title: 'Threshold' },
);

export const IsolationForestParams = Type.Object(
  {
    trees: Type.Integer({ default: 100, minimum: 1, maximum: 1000, title: 'Trees' }),
    sampleSize: Type.Integer({ default: 256, minimum: 2, maximum: 65536, title: 'Sub-sample size' }),
  },
  { default: {} },
);
export const OneClassSvmParams = Type.Object(
  {
    nu: Type.Number({ default: 0.5, exclusiveMinimum: 0, maximum: 1, title: 'nu' }),
    gamma: Type.Union([Type.Literal('scale'), Type.Number({ exclusiveMinimum: 0 })], {
      default: 'scale',
      title: 'gamma',
    }),
  },
  { default: {} },
);
export const LofParams = Type.Object(
  { neighbors: Type.Integer({ default: 20, minimum: 1, maximum: 500, title: 'Neighbours (k)' }) },
  { default: {} },
);
export const AutoencoderParams = Type.Object(
  {
    hidden: Type.Array(Type.Integer({ minimum: 1, maximum: 1024 }), { default: [32, 8], title: 'Hidden layer sizes' }),
    epochs: Type.Integer({ default: 50, minimum: 1, maximum: 1000, title: 'Max epochs' }),
    patience: Type.Integer({
      default: 5,
      minimum: 1,
      maximum: 100,
      title: 'Early-stopping patience',
      description: 'Epochs without validation improvement before training stops (best weights are kept).',
    }),
  },
  { default: {} },
);
export const LstmParams = Type.Object(
  {
    window: Type.Integer({ default: 10, minimum: 1, maximum: 100, title: 'Window (h)' }),
    topG: Type.Integer({ default: 9, minimum: 1, maximum: 100, title: 'Top-g candidates' }),
    hidden: Type.Integer({ default: 64, minimum: 4, maximum: 512, title: 'Hidden units' }),
    layers: Type.Integer({ default: 2, minimum: 1, maximum: 4, title: 'Layers' }),
    epochs: Type.Integer({
      default: 40,
      minimum: 1,
      maximum: 200,
      title: 'Max epochs',
      description:
        'Training stops earlier when the loss on a 10% validation split of the sessions stops improving (best epoch kept); fewer than 200 sessions train this many epochs; either way within trainSeconds.',
    }),
    trainSeconds: Type.Number({
      default: 60,
      minimum: 1,
      maximum: 3600,
      title: 'Training time budget (s)',
      description:
        'A fit (or update) stops after this many seconds of training, keeping the best weights so far: small logs no longer train for minutes to reach a step count, large ones stay bounded.',
    }),
  },
  { default: {} },
);

export const DetectorSettings = Type.Object(
  {
    enabled: Type.Boolean({ default: true, title: 'Enabled' }),
    threshold: Threshold,
  },
  { default: {} },
);

/** Off unless configured: a neural fit costs seconds to minutes per service and training. */
export const OptInDetectorSettings = Type.Object(
  {
    enabled: Type.Boolean({ default: false, title: 'Enabled' }),
    threshold: Threshold,
  },
  { default: {} },
);

export const ModelConfig = Type.Object(
  {
    sessionKey: Type.Object(
      {
        kind: Type.Union(
          [Type.Literal('trace'), Type.Literal('attribute'), Type.Literal('regex'), Type.Literal('window')],
          {
            default: 'window',
            title: 'Sessions by',
          },
        ),
        attribute: Type.Optional(Type.String({ title: 'Attribute key' })),
        regex: Type.Optional(
          Type.String({
            title: 'Session id regex',
            description:
              'e.g. blk_-?\\d+. RE2 syntax, run in linear time (no backreferences or lookaround); the first capture group is the session id, or the whole match when there is none.',
          }),
        ),
        windowSeconds: Type.Integer({
          default: 60,
          minimum: 1,
          title: 'Window length (s)',
          description: 'kind window: each window of record time is scored by its template counts when it ends',
        }),
        inactivitySeconds: Type.Integer({ default: 300, minimum: 1, title: 'Close after inactivity (s)' }),
      },
      { default: {}, title: 'Sessions' },
    ),
    learning: Type.Object(
      {
        records: Type.Integer({ default: 10000, minimum: 100, title: 'Learn on first N records' }),
        minutes: Type.Number({ default: 60, exclusiveMinimum: 0, title: 'or first T minutes' }),
        retrainEveryMinutes: Type.Number({ default: 1440, minimum: 0, title: 'Retrain every (min, 0 = never)' }),
      },
      { default: {}, title: 'Learning' },
    ),
    detectors: Type.Object(
      {
        'isolation-forest': Type.Composite([DetectorSettings, Type.Object({ params: IsolationForestParams })], {
          default: {},
        }),
        'one-class-svm': Type.Composite([DetectorSettings, Type.Object({ params: OneClassSvmParams })], {
          default: {},
        }),
        lof: Type.Composite([DetectorSettings, Type.Object({ params: LofParams })], { default: {} }),
        autoencoder: Type.Composite([OptInDetectorSettings, Type.Object({ params: AutoencoderParams })], {
          default: {},
        }),
        lstm: Type.Composite([DetectorSettings, Type.Object({ params: LstmParams })], { default: {} }),
      },
      { default: {}, title: 'Detectors' },
    ),
  },
  { default: {}, title: 'Model configuration' },
);
export type ModelConfig = Static<typeof ModelConfig>;
