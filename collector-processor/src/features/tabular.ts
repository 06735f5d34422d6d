/**
 * How the tabular detectors' training rows are prepared, shared by the benchmark framework
 * (evaluate/features.ts, evaluate/run.ts) and the live lifecycle (training/train.ts), so the live
 * defaults are the benchmark's (docs/detectors.md, "The default threshold method"):
 *
 * - record features are standardised on all training rows with `pseudoRows` pseudo-rows
 *   (matrix/standardizer.ts): rare and never-seen feature values weigh alike;
 * - the detectors in `dampRepeats` fit on the training rows with repeats damped (features/repeats.ts);
 *   their threshold is still calibrated on the scores of every training row.
 */
import type { DetectorName } from '@anomalog/shared';
import type { Matrix } from '../matrix/matrix';
import type { CountOptions } from './counts';
import { dampRepeats } from './repeats';
import { Standardizer } from '../matrix/standardizer';

/**
 * Count vectors of sessions and windows: log term weight + idf + L2. Isolation Forest never splits on a
 * column that is constant in training (templates training never saw, the unseen column), so the unseen
 * mass has to show in the columns it can split on — L2 normalisation shrinks them, idf makes rare
 * templates weigh more — and log damps long repetitive sessions. Chosen once over hdfs-deeplog and
 * hdfs-100k for all detectors (docs/features.md); the live session/window model uses the same.
 */
export const COUNT_DEFAULTS: CountOptions = { tf: 'log', idf: true, norm: 'l2', unseenColumn: true };

export interface TabularPrep {
  /** Standardizer pseudo-rows for record features (matrix/standardizer.ts). */
  pseudoRows: number;
  /** Detectors that fit on the training rows with repeats damped (features/repeats.ts). */
  dampRepeats: readonly DetectorName[];
}

export const TABULAR_DEFAULTS: TabularPrep = {
  pseudoRows: 1,
  // LOF only: its densities degenerate on k or more identical rows (see repeats.ts); One-Class SVM
  // and Isolation Forest lose ROC-AUC on hdfs-deeplog with damped repeats (docs/detectors.md)
  dampRepeats: ['lof'],
};

/** The record-feature scaler, fitted on every training row. */
export function fitRecordScaler(train: Matrix, prep: TabularPrep = TABULAR_DEFAULTS): Standardizer {
  return new Standardizer({ pseudoRows: prep.pseudoRows }).fit(train);
}

/** Whether `detector` fits on the training rows with repeats damped. */
export function dampsRepeats(detector: DetectorName, prep: TabularPrep = TABULAR_DEFAULTS): boolean {
  return prep.dampRepeats.includes(detector);
}

/** The rows `detector` fits on: the training rows, repeats damped for the detectors that need it. */
export function fitRows(detector: DetectorName, train: Matrix, prep: TabularPrep = TABULAR_DEFAULTS): Matrix {
  return dampsRepeats(detector, prep) ? dampRepeats(train) : train;
}
