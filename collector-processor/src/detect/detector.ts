/**
 * The one small interface every detector implements (Isolation Forest, One-Class SVM, LOF,
 * Autoencoder, LSTM). Inputs are typed arrays; raw scores grow with abnormality. Mapping raw scores
 * to 0..1 and choosing a threshold is done once, outside the detectors (see calibration).
 */

import type { DetectorName } from '@anomalog/shared';
import type { Matrix } from '../matrix/matrix';

export type { Matrix };

/** Template-id sequences (one per session), for the sequence detectors. */
export interface Sequences {
  readonly seqs: readonly Int32Array[];
  /** Number of distinct template ids; ids are 0..vocabSize-1. */
  readonly vocabSize: number;
  /**
   * Per-record mode, for a log scored line by line (no sessions): `seqs` holds one sequence, the
   * whole log in order, and these are the positions in it that are the rows. Fitting learns only
   * the records at these positions (the others are context before them), and score() returns one
   * score per position, in this order.
   */
  readonly records?: Int32Array;
  /**
   * Per session, 1 when it was still under way when the data was taken (its later records are not
   * in it): its records are learned, its end is not, so a session cut at the end of a training
   * buffer does not teach the model that sessions end there.
   */
  readonly underWay?: Uint8Array;
}

export interface Explanation {
  /** One human-readable sentence. */
  readonly reason: string;
  /** Features ranked by their share in the score (tabular detectors). */
  readonly features?: readonly { readonly index: number; readonly name?: string; readonly weight: number }[];
  /** Expected next templates and their probabilities (sequence detectors). */
  readonly expected?: readonly { readonly templateId: number; readonly probability: number }[];
}

export interface FitReport {
  readonly fitMs: number;
  readonly [metric: string]: number;
}

export interface Detector<Input = Matrix> {
  /** Registry name, e.g. "isolation-forest". */
  readonly name: string;
  fit(train: Input): FitReport | Promise<FitReport>;
  /** Raw anomaly score per row (or per sequence); higher is more anomalous. */
  score(input: Input): Float64Array;
  explain(input: Input, index: number, featureNames?: readonly string[]): Explanation;
  /** Self-contained bytes: `load(serialize())` scores exactly like this detector. */
  serialize(): Uint8Array;
}

/** How to make and reload one detector (registry.ts keys them by name). */
export interface DetectorFactory<Input = Matrix | Sequences, D extends Detector<Input> = Detector<Input>> {
  readonly name: DetectorName;
  /** Tabular detectors take count/feature matrices; sequence detectors take template-id sequences. */
  readonly input: Input extends Sequences ? 'sequences' : 'matrix';
  /** `params` are the detector's block of the shared ModelConfig (defaults filled). */
  create(params: Record<string, unknown>, seed: number): D;
  /** Inverse of `serialize()`; throws a clear Error on broken bytes. */
  load(bytes: Uint8Array): D;
}
