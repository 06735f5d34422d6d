import type { AnnotationStage, LogBatch } from '../annotate/stage';
import { forEachRecord } from '../annotate/stage';
import { TemplateMiner } from './miner';
import { extractMessage } from './extract';
import { defaultMinerConfig, type MinerConfig } from './config';
import type { MinerStateStore } from './persistence';
import { recordTimeMs } from '../otlp/record-time';

export interface TemplateStage extends AnnotationStage {
  readonly miner: TemplateMiner;
  /** Restore from the store (call once before the first batch); a broken snapshot starts empty and is reported. */
  open(): Promise<void>;
  /** Write a snapshot now. */
  snapshot(): Promise<void>;
}

/**
 * The parse stage: fills `batch.facts[i]` (service, message, severity, template id/text, params) for
 * every record in record order. Snapshots every `snapshot.intervalS` seconds (checked per batch) and on close.
 */
export function createTemplateStage(
  config: Partial<MinerConfig> = {},
  store?: MinerStateStore,
  onError: (message: string) => void = () => {},
): TemplateStage {
  const cfg = defaultMinerConfig(config);
  const miner = new TemplateMiner(cfg);
  let lastSnapshotMs = Date.now();
  let saving: Promise<void> | undefined;

  const snapshot = async (): Promise<void> => {
    if (!store) return;
    lastSnapshotMs = Date.now();
    try {
      await store.save(miner.snapshot());
    } catch (e) {
      onError(`template snapshot not saved: ${(e as Error).message}`);
    }
  };

  return {
    name: 'parse',
    miner,
    async open(): Promise<void> {
      if (!store) return;
      try {
        const bytes = await store.load();
        if (bytes) miner.restore(bytes);
      } catch (e) {
        onError(`template snapshot not restored, starting empty: ${(e as Error).message}`);
      }
    },
    snapshot,
    process(batch: LogBatch): void {
      const now = Date.now();
      forEachRecord(batch.data, (record, resource, _scope, i) => {
        const { service, message, severityNumber } = extractMessage(record, resource, cfg.messageFields);
        // Templates' first/last seen follow the records' own time, as the Grafana time picker does.
        const r = miner.add(service, message, recordTimeMs(record, batch.receivedAtMs));
        batch.facts[i] = {
          ...batch.facts[i],
          service,
          message,
          severityNumber,
          templateId: r.templateId,
          template: r.template,
          params: r.params,
          newTemplate: r.isNew,
        };
      });
      if (store && !saving && now - lastSnapshotMs >= cfg.snapshot.intervalS * 1000)
        saving = snapshot().finally(() => (saving = undefined));
    },
    async close(): Promise<void> {
      await saving;
      await snapshot();
    },
  };
}
