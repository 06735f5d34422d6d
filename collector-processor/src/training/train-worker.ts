/**
 * Trains one service's model in a worker thread, so detector fits (seconds for an LSTM) never
 * hold up the stream on the main thread. Loaded by train-thread.ts through tsx's require hook.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordBuffer } from './record-buffer';
import { trainServiceModel } from './train';
import type { FineTuneRequest, TrainRequest, TrainMessage } from './train-thread';
import { fineTuneSequences } from './finetune';
import { ServiceModel } from '../model/service-model';
import { initTf } from '../detect/tf-backend';

const input = workerData as TrainRequest | FineTuneRequest;
const post = (m: TrainMessage) => parentPort?.postMessage(m);

/** The active model's LSTM fine-tuned on sessions a user marked normal (a new version of the same model). */
async function fineTune(req: FineTuneRequest): Promise<void> {
  await initTf(() => undefined);
  post({ type: 'progress', progress: 0.1, message: 'fine-tuning lstm' });
  const buffer = RecordBuffer.fromSnapshot(req.buffer);
  const r = await fineTuneSequences(ServiceModel.load(req.model), req.sessions, buffer.sessions(), req.options);
  post({
    type: 'done',
    bytes: r.model.serialize(),
    records: 0, // the manager keeps the base version's training range and records
    fromMs: 0,
    toMs: 0,
    metrics: r.metrics,
    skipped: r.skipped,
    detectors: [...r.model.members.map((m) => m.name), 'lstm'],
  });
}

async function main(): Promise<void> {
  if ('kind' in input && input.kind === 'finetune') return fineTune(input);
  const req = input as TrainRequest;
  const buffer = RecordBuffer.fromSnapshot(req.buffer);
  const result = await trainServiceModel(buffer, req.config, {
    seed: req.seed,
    normalTemplates: req.normalTemplates,
    maxOpenSessions: req.maxOpenSessions,
    onProgress: (progress, message) => post({ type: 'progress', progress, message }),
  });
  // Sessions users marked normal stay learnt across retrainings: the fresh LSTM is fine-tuned on them.
  if (result.model.sequence && req.normalSessions?.length) {
    try {
      const tuned = await fineTuneSequences(result.model, req.normalSessions, buffer.sessions(), req.fineTune);
      result.model = tuned.model;
      Object.assign(result.metrics, tuned.metrics);
      result.skipped.push(...tuned.skipped.map((s) => `lstm fine-tune: ${s}`));
    } catch (err) {
      result.skipped.push(`lstm fine-tune on marked sessions: ${(err as Error).message}`);
    }
  }
  post({
    type: 'done',
    bytes: result.model.serialize(),
    records: result.records,
    fromMs: result.fromMs,
    toMs: result.toMs,
    metrics: result.metrics,
    skipped: result.skipped,
    // The version lists every detector that scores with it: the tabular members and the sequence model.
    detectors: [...result.model.members.map((m) => m.name), ...(result.model.sequence ? ['lstm' as const] : [])],
  });
}

main().catch((err: Error) => post({ type: 'failed', message: err?.message ?? String(err) }));
