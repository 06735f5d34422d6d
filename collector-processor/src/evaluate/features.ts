/**
 * Turns a benchmark dataset into what a detector takes: count vectors for the tabular detectors on
 * session datasets, standardised record features on line datasets, template sequences for the
 * sequence detectors. One default configuration for every dataset (documented in docs/features.md).
 */
import type { Matrix, Sequences } from '../detect/detector';
import { CountVectorizer, type CountOptions } from '../features/counts';
import { COUNT_DEFAULTS, fitRecordScaler, TABULAR_DEFAULTS, type TabularPrep } from '../features/tabular';
import type { Dataset } from './dataset';

/**
 * `pseudoRows` and `dampRepeats` (features/tabular.ts) are shared with the live lifecycle's training:
 * repeats damped for those detectors, whose threshold still comes from the scores of every training
 * row, so it keeps its meaning (share of normal rows over it).
 */
export interface FeatureConfig extends TabularPrep {
  counts: CountOptions;
  /** Standardise matrix columns on the training rows (record features mix units). */
  standardizeRecords: boolean;
}

/** The count defaults (features/tabular.ts COUNT_DEFAULTS) and the live lifecycle's preparation. */
export const DEFAULT_FEATURE_CONFIG: FeatureConfig = {
  counts: COUNT_DEFAULTS,
  standardizeRecords: true,
  // the live lifecycle's: one pseudo-row, LOF on damped repeats
  ...TABULAR_DEFAULTS,
};

export interface MatrixInputs {
  train: Matrix;
  /** Builds the test matrix (timed with scoring: count vectors are part of the scoring cost). */
  test: () => Matrix;
  featureNames: readonly string[];
  mode: string;
}

export function matrixInputs(ds: Dataset, cfg: FeatureConfig = DEFAULT_FEATURE_CONFIG): MatrixInputs {
  if (ds.kind === 'records') {
    if (!cfg.standardizeRecords)
      return {
        train: ds.train,
        test: () => ds.test,
        featureNames: ds.featureNames,
        mode: 'record vector',
      };
    const s = fitRecordScaler(ds.train, cfg);
    return {
      train: s.transform(ds.train),
      test: () => s.transform(ds.test),
      featureNames: ds.featureNames,
      mode: 'record vector',
    };
  }
  const v = new CountVectorizer(ds.trainVocab, cfg.counts).fit(ds.train);
  return {
    train: v.transform(ds.train),
    test: () => v.transform(ds.test),
    featureNames: v.featureNames(ds.templateNames),
    mode: describeCounts(cfg.counts),
  };
}

/**
 * Sessions as they are; a line dataset as its whole log in order, the rows being positions in it
 * (Sequences.records): a line is scored on the lines before it, as DeepLog reads a log stream.
 */
export function sequenceInputs(ds: Dataset): { train: Sequences; test: Sequences } {
  if (ds.kind === 'records') {
    const st = ds.stream;
    if (!st) throw new Error(`${ds.name} has no log order: sequence detectors need sessions or a line stream`);
    const seqs = [st.keys];
    return {
      train: { seqs, vocabSize: st.vocabSize, records: st.trainAt },
      test: { seqs, vocabSize: st.vocabSize, records: st.testAt },
    };
  }
  return { train: { seqs: ds.train, vocabSize: ds.vocabSize }, test: { seqs: ds.test, vocabSize: ds.vocabSize } };
}

function describeCounts(c: CountOptions): string {
  const parts = [c.tf === 'count' ? 'counts' : c.tf === 'log' ? 'log counts' : 'presence'];
  if (c.idf) parts.push('idf');
  if (c.norm === 'l2') parts.push('l2');
  return parts.join('+');
}
