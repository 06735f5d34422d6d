/**
 * A small live pipeline for the sequence tests: block sessions of five steps (one right next
 * template at each step, so top-1 is exact), the parse and detect stages over a SQLite store in a
 * temporary directory, and a LifecycleManager whose default model runs the LSTM (and Isolation
 * Forest) only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ModelConfig, StoreConfig, validateWithDefaults } from '@anomalog/shared';
import type { RecordFacts } from '../../src/chain/stage';
import { createDetectStage } from '../../src/chain/detect-stage';
import { LifecycleManager } from '../../src/lifecycle/manager';
import { createTemplateStage } from '../../src/chain/parse-stage';
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
      lstm: { params: opts.lstm },
    },
  });
  if (!sc.ok || !mc.ok) throw new Error('config');
  const store = new SqliteStore(sc.value, logger);
  await store.open();
  const parse = createTemplateStage();
  /** A manager and detect stage over the same store (a second one stands for a restart). */
  const start = () => {
    const manager = new LifecycleManager({ store, defaults: mc.value, logger, maxServices: 5, templatesOf: () => [] });
    const detect = createDetectStage({
      manager,
      store,
      logger,
      contextLines: 5,
      templateText: (id) => parse.miner.templateText(id),
    });
    /** Lines of service 'storage' through parse and detect; the facts they got. */
    const send = async (lines: string[]): Promise<RecordFacts[]> => {
      const b = batchOf(
        'storage',
        lines.map((l) => logRecord(l)),
      );
      parse.process(b);
      await detect.process(b);
      return b.facts;
    };
    return { manager, detect, send };
  };
  const close = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { store, parse, start, close, ...start() };
}
