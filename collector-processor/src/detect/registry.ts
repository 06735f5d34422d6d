import { DETECTOR_NAMES, isDetectorName, type DetectorName } from '@anomalog/shared';
import type { DetectorFactory, Matrix, Sequences } from './detector';
import { autoencoder, isolationForest, lof, lstm, oneClassSvm } from './detectors';

export type { DetectorFactory };

/**
 * Name → how to make and reload a detector. The lifecycle, the benchmark framework and the CLI
 * build detectors only through here; the type makes a new name in shared/'s vocabulary fail to
 * compile until it has its factory.
 */
export const DETECTORS = {
  lstm,
  'isolation-forest': isolationForest,
  lof,
  'one-class-svm': oneClassSvm,
  autoencoder,
} as const satisfies Record<DetectorName, DetectorFactory<Matrix> | DetectorFactory<Sequences>>;

export type Detectors = typeof DETECTORS;

/** The factory of a detector named in stored or user-given data; a clear Error for unknown names. */
export function detectorFactory<N extends DetectorName>(name: N): Detectors[N] {
  if (!isDetectorName(name)) throw new Error(`unknown detector "${name}" (known: ${DETECTOR_NAMES.join(', ')})`);
  return DETECTORS[name];
}

/** The factory of a detector that scores matrices (record or count vectors); throws for the others. */
export function matrixDetectorFactory(name: DetectorName): DetectorFactory<Matrix> {
  const factory = detectorFactory(name);
  if (factory.input !== 'matrix') throw new Error(`detector "${name}" scores sequences, not matrices`);
  return factory;
}

export function detectorNames(): DetectorName[] {
  return Object.keys(DETECTORS) as DetectorName[];
}
