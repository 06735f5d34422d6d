import type { DetectorName } from '@anomalog/shared';
import type { Detector, Matrix, Sequences } from './detector';

/**
 * Name → how to make and reload a detector. The lifecycle, the benchmark framework and the CLI
 * build detectors only through here, so adding a detector is one file plus one line below.
 */
export interface DetectorFactory<Input = Matrix | Sequences> {
  readonly name: DetectorName;
  /** Tabular detectors take count/feature matrices; sequence detectors take template-id sequences. */
  readonly input: Input extends Sequences ? 'sequences' : 'matrix';
  /** `params` are the detector's block of the shared ModelConfig (defaults filled). */
  create(params: Record<string, unknown>, seed: number): Detector<Input>;
  /** Inverse of `serialize()`; throws a clear Error on broken bytes. */
  load(bytes: Uint8Array): Detector<Input>;
}

const factories = new Map<DetectorName, DetectorFactory<never>>();

export function registerDetector(factory: DetectorFactory<never>): void {
  factories.set(factory.name, factory);
}

export function detectorFactory(name: DetectorName): DetectorFactory<never> {
  const f = factories.get(name);
  if (!f) throw new Error(`unknown detector "${name}" (known: ${[...factories.keys()].join(', ') || 'none'})`);
  return f;
}

export function detectorNames(): DetectorName[] {
  return [...factories.keys()];
}
