import type { Matrix } from '../detect/detector';
import { lcg } from '../util/random';
import type { TemplateFrequencies } from '../model/record-vector';

/**
 * What a benchmark loader hands to the runner. Session datasets carry template-index sequences
 * (count vectors are built from them with the same CountVectorizer the live pipeline uses; the
 * sequence detectors take them as they are); record datasets carry one feature row per line.
 */
export interface SessionDataset {
  readonly kind: 'sessions';
  readonly name: string;
  /** Training sessions (normal only, per each dataset's protocol). */
  readonly train: Int32Array[];
  readonly test: Int32Array[];
  /** 1 = anomaly, per test session. */
  readonly testLabels: Uint8Array;
  /** Templates seen in training: they are indexes 0..trainVocab-1, the count-vector width. */
  readonly trainVocab: number;
  /** All template indexes in train and test (sequence detectors). */
  readonly vocabSize: number;
  readonly templateNames: string[];
  /** Estimate precision at another class ratio (hdfs-deeplog: the DeepLog test set's 16,838 : 553,366). */
  readonly estimateAt?: { readonly anomalies: number; readonly normals: number };
  readonly notes: string;
}

export interface RecordDataset {
  readonly kind: 'records';
  readonly name: string;
  readonly train: Matrix;
  readonly test: Matrix;
  readonly testLabels: Uint8Array;
  /** 1 per test line whose template no training line has (the live unseen-template rule). */
  readonly testUnseen: Uint8Array;
  /** The training lines' template frequencies (the record vectors' and the unseen rule's). */
  readonly trainFrequencies: TemplateFrequencies;
  readonly featureNames: readonly string[];
  /** The log in order as template ids, for the sequence detectors' per-record mode. */
  readonly stream?: LineStream;
  readonly notes: string;
}

/** A line dataset's log as one template-id sequence, and where its train and test rows sit in it. */
export interface LineStream {
  readonly keys: Int32Array;
  readonly vocabSize: number;
  /** Position of each training row (normal lines of the first half). */
  readonly trainAt: Int32Array;
  /** Position of each test row, in the order of testLabels. */
  readonly testAt: Int32Array;
}

export type Dataset = SessionDataset | RecordDataset;

/** In-place Fisher-Yates shuffle with a seed. */
export function shuffle<T>(items: T[], seed: number): T[] {
  const rand = lcg(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Renumber template indexes so the ones used in training come first (0..trainVocab-1), in their
 * order of first use; templates only in test follow. Count vectors are as wide as training saw.
 */
export function trainFirst(
  train: Int32Array[],
  test: Int32Array[],
  names: readonly string[],
): { train: Int32Array[]; test: Int32Array[]; trainVocab: number; vocabSize: number; names: string[] } {
  const map = new Int32Array(Math.max(names.length, 1)).fill(-1);
  const out: string[] = [];
  const visit = (seqs: Int32Array[]) => {
    for (const s of seqs)
      for (let i = 0; i < s.length; i++)
        if (map[s[i]] < 0) {
          map[s[i]] = out.length;
          out.push(names[s[i]] ?? `template ${s[i]}`);
        }
  };
  visit(train);
  const trainVocab = out.length;
  visit(test);
  const remap = (seqs: Int32Array[]) => seqs.map((s) => s.map((t) => map[t]));
  return { train: remap(train), test: remap(test), trainVocab, vocabSize: out.length, names: out };
}
