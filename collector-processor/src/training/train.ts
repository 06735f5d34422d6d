/**
 * Training one service's model from its record buffer: template frequencies, the record matrix
 * standardised as the benchmark does (features/tabular.ts: one pseudo-row), the tabular members fitted
 * on it (fit-members.ts), the same detectors on the count vectors of the buffered sessions or time
 * windows (group-train.ts), and the LSTM on the sessions' template sequences.
 */
import type { ModelConfig } from '@anomalog/shared';
import type { Matrix } from '../detect/detector';
import { detectorFactory } from '../detect/registry';
import { lstmParams } from '../detect/lstm-params';
import { initTf } from '../detect/tf-backend';
import { fitRecordScaler } from '../features/tabular';
import { enabledDetectors, fitMembers, MIN_SESSIONS } from './fit-members';
import { groupsSkipped, trainGroupModel } from './group-train';
import type { RecordBuffer } from './record-buffer';
import { RECORD_DIMS, severityCounts, writeRecordVector, type TemplateFrequencies } from '../model/record-vector';
import { SequenceModel } from '../model/sequence-model';
import { ServiceModel } from '../model/service-model';

export { MAX_FIT_ROWS, MIN_SESSIONS, subsample } from './fit-members';

export interface TrainResult {
  model: ServiceModel;
  records: number;
  fromMs: number;
  toMs: number;
  /** Per detector: fit seconds and the share of training records over threshold. */
  metrics: Record<string, number>;
  /** Enabled detectors this build cannot run on record vectors (sequence models, missing ones). */
  skipped: string[];
}

export function frequencies(
  buffer: RecordBuffer,
  rows: Int32Array,
  extraNormal: Iterable<string> = [],
): TemplateFrequencies {
  const perIndex = new Float64Array(buffer.templateIds.length);
  for (const r of rows) perIndex[buffer.template[r]]++;
  const counts = new Map<string, number>();
  perIndex.forEach((c, k) => c > 0 && counts.set(buffer.templateIds[k], c));
  // Feedback: a template marked normal trains as a common one (the median count) so it is not rare.
  const sorted = [...counts.values()].sort((a, b) => a - b);
  const median = sorted.length ? sorted[sorted.length >> 1] : 1;
  let total = rows.length;
  for (const id of extraNormal) {
    if (!counts.has(id)) {
      counts.set(id, median);
      total += median;
    }
  }
  const severities = severityCounts(rows.length, (i) => buffer.severity[rows[i]]);
  return { counts, total, severities };
}

export function recordMatrix(buffer: RecordBuffer, rows: Int32Array, freq: TemplateFrequencies): Matrix {
  const data = new Float64Array(rows.length * RECORD_DIMS);
  rows.forEach((r, i) =>
    writeRecordVector(
      data,
      i * RECORD_DIMS,
      freq,
      buffer.templateIds[buffer.template[r]],
      buffer.severity[r],
      buffer.tokens[r],
    ),
  );
  return { data, rows: rows.length, cols: RECORD_DIMS };
}

export async function trainServiceModel(
  buffer: RecordBuffer,
  config: ModelConfig,
  opts: {
    seed: number;
    normalTemplates?: Iterable<string>;
    onProgress?: (p: number, message: string) => void;
    /** Open sessions the live LSTM keeps at most. */
    maxOpenSessions?: number;
  },
): Promise<TrainResult> {
  const rows = buffer.rows();
  if (rows.length === 0) throw new Error('no records to train on');
  const normal = new Set(opts.normalTemplates ?? []);
  const freq = frequencies(buffer, rows, normal);
  const records = recordMatrix(buffer, rows, freq);
  // the benchmark's preparation (evaluate/features.ts): standardised on every training row, stored
  // with the model so live batches are standardised the same way
  const scaler = fitRecordScaler(records);
  const m = scaler.transform(records);
  const enabled = enabledDetectors(config);
  const { members, metrics, skipped } = await fitMembers(m, config, opts.seed, (k, name) =>
    opts.onProgress?.((0.8 * k) / enabled.length, `fitting ${name}`),
  );
  // the buffer's sessions once, for the session counts and the LSTM (each pass is O(buffer))
  let cached: ReturnType<RecordBuffer['sessionsUnderWay']> | undefined;
  const grouped = () => (cached ??= buffer.sessionsUnderWay(config.sessionKey.inactivitySeconds * 1000));
  const sessions = () => grouped().sessions;
  const groups = await trainGroupModel(buffer, config, opts.seed, opts.maxOpenSessions ?? 100_000, sessions);
  if (groups) Object.assign(metrics, groups.metrics);
  else if (members.length) skipped.push(...groupsSkipped(config));
  let sequence: SequenceModel | undefined;
  if (enabled.includes('lstm')) {
    opts.onProgress?.(0.9, 'fitting lstm');
    const t0 = performance.now();
    const { sessions, underWay } = grouped();
    sequence = await trainSequenceModel(sessions, underWay, config, opts.seed, opts.maxOpenSessions ?? 100_000);
    if (sequence) metrics.lstm_fit_s = (performance.now() - t0) / 1000;
    else skipped.push(`lstm (fewer than ${MIN_SESSIONS} sessions: set a session key)`);
  }
  opts.onProgress?.(1, 'trained');
  const span = buffer.span();
  return {
    model: new ServiceModel(freq, members, normal, sequence, scaler, groups?.model),
    records: rows.length,
    fromMs: span.fromMs,
    toMs: span.toMs,
    metrics,
    skipped,
  };
}

/** DeepLog on the buffered sessions' template sequences; undefined when there are too few sessions. */
async function trainSequenceModel(
  sessions: string[][],
  underWay: Uint8Array,
  config: ModelConfig,
  seed: number,
  maxOpen: number,
): Promise<SequenceModel | undefined> {
  if (sessions.length < MIN_SESSIONS) return undefined;
  const vocab = new Map<string, number>();
  const seqs = sessions.map((seq) =>
    Int32Array.from(seq, (id) => {
      let k = vocab.get(id);
      if (k === undefined) vocab.set(id, (k = vocab.size));
      return k;
    }),
  );
  await initTf(() => undefined);
  const lstm = detectorFactory('lstm').create(lstmParams(config.detectors.lstm), seed);
  await lstm.fit({ seqs, vocabSize: vocab.size, underWay });
  return new SequenceModel(lstm, vocab, maxOpen);
}
