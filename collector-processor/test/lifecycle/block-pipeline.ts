/**
 * A small live pipeline for the sequence tests: block sessions of five steps (one right next
 * template at each step, so top-1 is exact), the annotation chain (createAnnotationChain) over a SQLite store in a
 * temporary directory, and a LifecycleManager whose default model runs the LSTM (and Isolation
 * Forest) only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ModelConfig, StoreConfig, validateWithDefaults } from '@anomalog/shared';
import { batchAnnotations } from '../../src/chain/stage';
import type { RecordAnnotations } from '../../src/chain/outputs';
import { createAnnotationChain } from '../../src/chain/create';
import type { TemplateStage } from '../../src/chain/parse-stage';
import { SqliteStore } from '../../src/store/sqlite';
import { batchOf, logRecord } from './records';

export const logger = pino({ level: 'silent' });

const STEPS = [
  'allocate block',
  'receiving block from peer',
  'received block of size',
  'block added to map',
  'responder terminating',
];

/** Block `id`'s life: the steps in `order` (the normal order by default). */
export function session(id: number, order = [0, 1, 2, 3, 4]): string[] {
  return order.map((k) => `blk_${id} ${STEPS[k]}`);
}

export interface BlockPipelineOptions {
  lstm: Record<string, number>;
  learning: Record<string, number>;
  /** The LSTM's threshold.records (its probability cap); the shared default when absent. */
  lstmRecordRate?: number;
}

export async function openBlockPipeline(opts: BlockPipelineOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'anomalog-blocks-'));
  const sc = validateWithDefaults(StoreConfig, { dataDir: dir });
  const mc = validateWithDefaults(ModelConfig, {
    sessionKey: { kind: 'regex', regex: 'blk_\\d+' },
    learning: opts.learning,
    detectors: {
      'one-class-svm': { enabled: false },
      lof: { enabled: false },
      autoencoder: { enabled: false },
      lstm: {
        params: opts.lstm,
        ...(opts.lstmRecordRate === undefined ? {} : { threshold: { records: opts.lstmRecordRate } }),
      },
    },
  });
  if (!sc.ok || !mc.ok) throw new Error('config');
  const store = new SqliteStore(sc.value, logger);
  await store.open();
  /** A chain over the store; `parse` given: its detect side restarted over the same miner. */
  const open = async (parse?: TemplateStage) => {
    const chain = await createAnnotationChain(
      { detection: { defaultModel: mc.value, maxServices: 5, contextLines: 5 } },
      { logger, store, parse },
    );
    const { manager, detect } = chain;
    if (!manager || !detect) throw new Error('the chain was built without its detect stage');
    /** Lines of service 'storage' through the chain; the annotations they got. */
    const send = async (lines: string[]): Promise<RecordAnnotations[]> => {
      const b = batchOf(
        'storage',
        lines.map((l) => logRecord(l)),
      );
      await chain.process(b);
      return batchAnnotations(b);
    };
    return { parse: chain.parse, manager, detect, send };
  };
  const first = await open();
  /** A manager and detect stage over the same store and miner (stands for a restart). */
  const start = () => open(first.parse);
  const close = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { store, start, close, ...first };
}
