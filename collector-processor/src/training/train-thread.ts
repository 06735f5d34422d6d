/**
 * Runs trainServiceModel in a worker thread and hands back the serialised model: the main thread
 * only copies the record buffer out and loads the result.
 */
import { Worker } from 'node:worker_threads';
import type { DetectorName, ModelConfig } from '@anomalog/shared';
import type { BufferSnapshot } from './record-buffer';
import type { FineTuneOptions } from './finetune';
import { workerScript } from '../runtime/worker-script';

export interface TrainRequest {
  buffer: BufferSnapshot;
  config: ModelConfig;
  seed: number;
  normalTemplates: string[];
  /** Sessions users marked normal: the trained LSTM is fine-tuned on them (finetune.ts). */
  normalSessions?: string[][];
  fineTune?: Partial<FineTuneOptions>;
  maxOpenSessions: number;
}

/** Fine-tune the active model's LSTM on sessions a user marked normal (finetune.ts). */
export interface FineTuneRequest {
  kind: 'finetune';
  /** The active model version's bytes. */
  model: Uint8Array;
  /** Template id sequences to learn as normal. */
  sessions: string[][];
  /** The service's buffer: its sessions are rehearsed so the LSTM does not forget them. */
  buffer: BufferSnapshot;
  options?: Partial<FineTuneOptions>;
}

export interface TrainedBytes {
  bytes: Uint8Array;
  records: number;
  fromMs: number;
  toMs: number;
  metrics: Record<string, number>;
  skipped: string[];
  detectors: DetectorName[];
}

export type TrainMessage =
  | { type: 'progress'; progress: number; message: string }
  | ({ type: 'done' } & TrainedBytes)
  | { type: 'failed'; message: string };

export function trainInWorker(
  request: TrainRequest | FineTuneRequest,
  onProgress: (progress: number, message: string) => void,
  maxHeapMb = 1024,
): Promise<TrainedBytes> {
  return new Promise((resolve, reject) => {
    const { script, data } = workerScript(__dirname, 'train-worker');
    const worker = new Worker(script, {
      eval: true,
      workerData: { ...request, ...data },
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: TrainMessage) => {
      if (m.type === 'progress') onProgress(m.progress, m.message);
      else if (m.type === 'done') settle(() => resolve(m));
      else settle(() => reject(new Error(m.message)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`training worker exited (code ${code}) before its result`))),
    );
  });
}
