/**
 * The whole service on one configuration: store, parse and detect stages, the OTLP processor,
 * the HTTP API and store retention, started in that order and closed in reverse. `npm start`
 * runs this on embedded defaults (SQLite under ./data, API on 127.0.0.1:8080, no downstream).
 */
import type { AnomalogConfig } from '@anomalog/shared';
import { Registry } from 'prom-client';
import { startApiServer, type RunningApi } from './api/server';
import { createBenchmarkRunner } from './api/benchmarks/runner';
import type { TemplateMiner } from './parse/miner';
import { chainConfigOf, createAnnotationChain } from './chain/create';
import type { LifecycleManager } from './lifecycle/manager';
import { startProcessor, type RunningProcessor } from './processor';
import { createStore } from './store/create';
import { StoreMinerState } from './store/miner-state';
import { startRetention } from './store/retention';
import { initTf } from './detect/tf-backend';
import type { Store } from './store/store';
import { startTriage, type RunningTriage } from './triage';
import { createLogger, type Logger } from './telemetry/logger';
import { startOtlpMetrics } from './telemetry/otlp-metrics';
import { VERSION } from './version';

export interface RunningAnomalog {
  processor: RunningProcessor;
  api: RunningApi | undefined;
  store: Store;
  triage: RunningTriage;
  manager: LifecycleManager | undefined;
  miner: TemplateMiner;
  close(): Promise<void>;
}

export async function startAnomalog(config: AnomalogConfig, opts: { logger?: Logger } = {}): Promise<RunningAnomalog> {
  const logger = opts.logger ?? createLogger(config.telemetry.logLevel);
  const store = await createStore(config.store, logger);
  const cleanup: (() => Promise<void>)[] = [() => store.close()];
  try {
    const registry = new Registry();
    const triage = await startTriage(config, store, logger);
    cleanup.unshift(() => triage.close());
    const chain = await createAnnotationChain(chainConfigOf(config), {
      logger,
      store,
      triage,
      minerState: new StoreMinerState(store),
      registry,
    });
    const { manager } = chain;
    // The TensorFlow.js backend is readied before traffic: its set-up (module load, wasm compile,
    // kernel registration) held the event loop when the first model was installed mid-stream.
    if (manager) await initTf((message) => logger.info(message));
    if (!manager) logger.warn('detection.enabled is false: records get templates only, no scores');
    const processor = await startProcessor(config, { stages: chain.stages, logger, registry });
    cleanup.unshift(() => processor.close());
    const retention = startRetention(store, logger);
    cleanup.unshift(() => retention.stop());
    const pusher = startOtlpMetrics(registry, config.exporter, config.telemetry.otlpMetricsIntervalS, logger, VERSION);
    // After the processor closed (last counts in), before the store closes.
    if (pusher) cleanup.splice(cleanup.length - 1, 0, () => pusher.stop());
    let api: RunningApi | undefined;
    if (config.api.enabled && manager) {
      const benchmarks = createBenchmarkRunner({
        datasetsDir: config.api.datasetsDir,
        maxQueuedUploadBytes: Math.floor(config.api.maxQueuedUploadMiB * 1024 * 1024),
        logger,
        history: store,
        timeoutMs: config.api.benchmarkTimeoutMinutes * 60_000,
      });
      cleanup.unshift(() => benchmarks.close());
      api = await startApiServer(config.api, {
        control: manager,
        store,
        benchmarks,
        logger,
        version: VERSION,
        triage: { store: triage.store, suppressions: triage.suppressions },
      });
      cleanup.unshift(() => api!.close());
    }
    let closing: Promise<void> | undefined;
    return {
      processor,
      api,
      store,
      triage,
      manager,
      miner: chain.miner,
      close: () => (closing ??= runAll(cleanup, logger)),
    };
  } catch (err) {
    await runAll(cleanup, logger);
    throw err;
  }
}

async function runAll(steps: readonly (() => Promise<void>)[], logger: Logger): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'shutdown step failed');
    }
  }
}
