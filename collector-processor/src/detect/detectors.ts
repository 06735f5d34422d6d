/**
 * The built-in detectors' factories: how each maps its block of the shared ModelConfig onto its
 * constructor options. registry.ts keys them by name.
 */
import type { DetectorFactory, Matrix, Sequences } from './detector';
import { AutoencoderDetector } from './autoencoder';
import { IsolationForestDetector } from './isolation-forest';
import { LofDetector } from './lof';
import { LstmDetector } from './lstm';
import { OneClassSvmDetector } from './one-class-svm';

export const lstm: DetectorFactory<Sequences, LstmDetector> = {
  name: 'lstm',
  input: 'sequences',
  create(params, seed) {
    const p = params as {
      window?: number;
      topG?: number;
      hidden?: number;
      layers?: number;
      epochs?: number;
      trainSeconds?: number;
      maxThreshold?: number;
    };
    const opts: Record<string, number> = { seed };
    // Only the parameters given: undefined must not override the detector's defaults.
    for (const [from, to] of [
      ['window', 'window'],
      ['topG', 'topG'],
      ['hidden', 'units'],
      ['layers', 'layers'],
      ['epochs', 'epochs'],
      ['trainSeconds', 'budgetSeconds'],
      ['maxThreshold', 'maxThreshold'],
    ] as const)
      if (typeof p[from] === 'number') opts[to] = p[from];
    return new LstmDetector(opts);
  },
  load: (bytes) => LstmDetector.load(bytes),
};

/** Copies the numeric params that are set: undefined must not override a detector's defaults. */
function numbers(params: Record<string, unknown>, keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) if (typeof params[k] === 'number') out[k] = params[k] as number;
  return out;
}

export const isolationForest: DetectorFactory<Matrix> = {
  name: 'isolation-forest',
  input: 'matrix',
  create: (params, seed) => new IsolationForestDetector({ ...numbers(params, ['trees', 'sampleSize']), seed }),
  load: (bytes) => IsolationForestDetector.load(bytes),
};

export const lof: DetectorFactory<Matrix> = {
  name: 'lof',
  input: 'matrix',
  create: (params, seed) => new LofDetector({ ...numbers(params, ['neighbors']), seed }),
  load: (bytes) => LofDetector.load(bytes),
};

export const oneClassSvm: DetectorFactory<Matrix> = {
  name: 'one-class-svm',
  input: 'matrix',
  create(params, seed) {
    const g = params.gamma;
    const gamma: { gamma?: number | 'scale' } =
      g === 'scale' ? { gamma: g } : typeof g === 'number' ? { gamma: g } : {};
    return new OneClassSvmDetector({ ...numbers(params, ['nu']), ...gamma, seed });
  },
  load: (bytes) => OneClassSvmDetector.load(bytes),
};

export const autoencoder: DetectorFactory<Matrix> = {
  name: 'autoencoder',
  input: 'matrix',
  create(params, seed) {
    const hidden = Array.isArray(params.hidden) ? { hidden: params.hidden as number[] } : {};
    return new AutoencoderDetector({ ...numbers(params, ['epochs', 'patience']), ...hidden, seed });
  },
  load: (bytes) => AutoencoderDetector.load(bytes),
};
