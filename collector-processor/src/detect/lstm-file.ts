/**
 * The LSTM's model file (`anomalog-lstm/2`): options, vocabulary, known templates, the probability
 * rule's thresholds and the count bounds in the header, the network's weights after it. Files of
 * earlier versions lack the thresholds (they keep the rank rule) or the count bounds (no count
 * check); both still load.
 */
import { CountBounds, type CountBoundsJson } from './lstm-counts';
import type { LstmThresholds } from './lstm-thresholds';
import { decodeModel, encodeModel, type Tensor32 } from './model-bytes';

const FORMAT = 'anomalog-lstm/2';

/** What a model file holds beside the options' type (the detector's LstmOptions). */
export interface LstmFile<O> {
  opts: O;
  vocab: number;
  known: Uint8Array<ArrayBuffer>;
  thresholds: LstmThresholds | undefined;
  counts: CountBounds | undefined;
  weights: Tensor32[];
}

export function encodeLstmFile<O>(f: LstmFile<O>): Uint8Array {
  const header = { format: FORMAT, opts: f.opts, vocab: f.vocab, known: Array.from(f.known) };
  return encodeModel(
    {
      ...header,
      ...(f.thresholds ? { thresholds: f.thresholds } : {}),
      ...(f.counts ? { counts: f.counts.toJSON() } : {}),
    },
    f.weights,
  );
}

/** Reads a model file; throws on a broken vocabulary (the weights are checked against the network). */
export function decodeLstmFile<O>(bytes: Uint8Array): LstmFile<O> {
  const { header, weights } = decodeModel(bytes, FORMAT, 'lstm');
  const vocab = Number(header.vocab);
  const known = Uint8Array.from(header.known as number[]);
  // Models saved before the probability rule carry no thresholds: they keep the rank rule.
  const t = header.thresholds as { record?: unknown; end?: unknown } | undefined;
  const thresholds =
    t && typeof t.record === 'number' && typeof t.end === 'number' ? { record: t.record, end: t.end } : undefined;
  if (!(vocab > 0) || known.length !== vocab) throw new Error('lstm: model file has a broken vocabulary');
  // Models saved before the count bounds have none (and keep working without them).
  const counts =
    header.counts !== undefined ? CountBounds.fromJSON(header.counts as CountBoundsJson, vocab) : undefined;
  return { opts: header.opts as O, vocab, known, thresholds, counts, weights };
}
