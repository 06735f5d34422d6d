import { Type } from '@sinclair/typebox';

/**
 * The detector vocabulary, declared once: the processor's registry is keyed by these names, anomalies
 * carry them in `anomaly.detector`, and the Grafana app filters and labels by them.
 */
export const DETECTOR_NAMES = ['isolation-forest', 'one-class-svm', 'lof', 'autoencoder', 'lstm'] as const;

export const DetectorName = Type.Union(
  DETECTOR_NAMES.map((name) => Type.Literal(name)),
  { title: 'Detector' },
);
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/**
 * The processor's own rule for templates never seen in training: anomalies it raises carry this as
 * their detector, next to the trained ones.
 */
export const UNSEEN_DETECTOR = 'unseen-template';

/** How benchmark results name the vote of a model's members. */
export const ENSEMBLE_DETECTOR = 'ensemble';

/** Every value `anomaly.detector` can take. */
export type AnomalyDetector = DetectorName | typeof UNSEEN_DETECTOR;

export function isDetectorName(name: string): name is DetectorName {
  return (DETECTOR_NAMES as readonly string[]).includes(name);
}
