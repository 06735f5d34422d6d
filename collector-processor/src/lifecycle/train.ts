/**
 * Training one service's model from its record buffer: template frequencies, the record matrix
 * standardised as the benchmark does (features/tabular.ts: one pseudo-row), then each enabled tabular
 * detector fitted on the benchmark's rows for it (LOF: repeats damped) and calibrated on it. Detectors
 * whose cost grows faster than linearly (LOF, One-Class SVM) fit on a seeded sub-sample of those rows;
 * all are calibrated on the full window so thresholds reflect every record.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { DetectorName, ModelConfig } from '@anomalog/shared';
import type { Detector, Matrix } from '../detect/detector';
import { detectorFactory, detectorNames } from '../detect/registry';
import '../detect/detectors';
import { Calibration } from '../detect/calibration';
import type { RecordBuffer } from './record-buffer';
import { RECORD_DIMS, writeRecordVector, type TemplateFrequencies } from './record-vector';
import { ServiceModel, type ModelMember } from './service-model';
import { SequenceModel } from './sequence-model';
import type { LstmDetector } from '../detect/lstm';
import { initTf } from '../detect/tf-backend';
import { lcg } from '../util/random';
import { fitRecordScaler, fitRows } from '../features/tabular';

/** Sessions a service needs in its window before an LSTM is worth training on them. */
export const MIN_SESSIONS = 20;

/** Rows the super-linear detectors fit on at most. */
export const MAX_FIT_ROWS: Partial<Record<DetectorName, number>> = {
  lof: 4000,
  'one-class-svm': 2000,
  // linear, but epochs of tfjs steps: bounds a fit to seconds (early stopping usually ends sooner)
  autoencoder: 5000,
};

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
  return { counts, total };
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

/** Seeded sub-sample of at most `max` rows (the whole matrix when smaller). */
export function subsample(m: Matrix, max: number, seed: number): Matrix {
  if (m.rows <= max) return m;
  const rand = lcg(seed >>> 0 || 1);
  const idx = Int32Array.from({ length: m.rows }, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(rand() * (m.rows - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  const data = new Float64Array(max * m.cols);
  for (let i = 0; i < max; i++) data.set(m.data.subarray(idx[i] * m.cols, (idx[i] + 1) * m.cols), i * m.cols);
  return { data, rows: max, cols: m.cols };
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
  const enabled = (Object.keys(config.detectors) as DetectorName[]).filter((d) => config.detectors[d].enabled);
  const available = new Set(detectorNames());
  const members: ModelMember[] = [];
  const metrics: Record<string, number> = {};
  const skipped: string[] = [];
  for (const [k, name] of enabled.entries()) {
    const factory = available.has(name) ? detectorFactory(name) : undefined;
    if (name === 'lstm') continue; // sequence model, trained below
    if (!factory || factory.input !== 'matrix') {
      skipped.push(name);
      continue;
    }
    opts.onProgress?.(k / enabled.length, `fitting ${name}`);
    await yieldToLoop();
    const settings = config.detectors[name];
    const detector = factory.create(settings.params as Record<string, unknown>, opts.seed) as Detector<Matrix>;
    if (name === 'autoencoder') await initTf(() => undefined); // quietly: the worker has no logger
    const t0 = performance.now();
    const fitOn = fitRows(name, m);
    await detector.fit(subsample(fitOn, MAX_FIT_ROWS[name] ?? fitOn.rows, opts.seed));
    const raw = detector.score(m);
    const calibration = Calibration.fit(raw, settings.threshold);
    metrics[`${name}_fit_s`] = (performance.now() - t0) / 1000;
    metrics[`${name}_train_flagged`] = raw.filter((x) => calibration.isAnomalous(x)).length / raw.length;
    members.push({ name, detector, calibration });
  }
  let sequence: SequenceModel | undefined;
  if (enabled.includes('lstm')) {
    opts.onProgress?.(0.9, 'fitting lstm');
    const t0 = performance.now();
    sequence = await trainSequenceModel(buffer, config, opts.seed, opts.maxOpenSessions ?? 100_000);
    if (sequence) metrics.lstm_fit_s = (performance.now() - t0) / 1000;
    else skipped.push(`lstm (fewer than ${MIN_SESSIONS} sessions: set a session key)`);
  }
  opts.onProgress?.(1, 'trained');
  const span = buffer.span();
  return {
    model: new ServiceModel(freq, members, normal, sequence, scaler),
    records: rows.length,
    fromMs: span.fromMs,
    toMs: span.toMs,
    metrics,
    skipped,
  };
}

/** DeepLog on the buffered sessions' template sequences; undefined when there are too few sessions. */
async function trainSequenceModel(
  buffer: RecordBuffer,
  config: ModelConfig,
  seed: number,
  maxOpen: number,
): Promise<SequenceModel | undefined> {
  const sessions = buffer.sessions();
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
  const lstm = detectorFactory('lstm').create(config.detectors.lstm.params, seed) as unknown as LstmDetector;
  await lstm.fit({ seqs, vocabSize: vocab.size });
  return new SequenceModel(lstm, vocab, maxOpen);
}
