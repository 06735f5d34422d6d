/**
 * Trains one service's model in a worker thread, so detector fits (seconds for an LSTM) never
 * hold up the stream on the main thread. Loaded by train-thread.ts through tsx's require hook.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordBuffer } from './record-buffer';
import { trainServiceModel } from './train';
import type { TrainRequest, TrainMessage } from './train-thread';

const input = workerData as TrainRequest;
const post = (m: TrainMessage) => parentPort?.postMessage(m);

async function main(): Promise<void> {
  const result = await trainServiceModel(RecordBuffer.fromSnapshot(input.buffer), input.config, {
    seed: input.seed,
    normalTemplates: input.normalTemplates,
    maxOpenSessions: input.maxOpenSessions,
    onProgress: (progress, message) => post({ type: 'progress', progress, message }),
  });
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
