/**
 * The whole service on one configuration: store, parse and detect stages, the OTLP processor,
 * the HTTP API and store retention, started in that order and closed in reverse. `npm start`
 * runs this on embedded defaults (SQLite under ./data, API on 127.0.0.1:8080, no downstream).
 */
import type { AnomalogConfig, TemplateInfo } from '@anomalog/shared';
import { Registry } from 'prom-client';
import { startApiServer, type RunningApi } from './api/server';
import { createBenchmarkRunner } from './api/benchmarks/runner';
import type { AnnotationStage } from './chain/stage';
import { createDetectStage } from './chain/detect-stage';
import { LifecycleManager } from './lifecycle/manager';
import type { TemplateMiner } from './parse/miner';
import { createTemplateStage } from './chain/parse-stage';
import { startProcessor, type RunningProcessor } from './processor';
import { createStore } from './store/create';
import { StoreMinerState } from './store/miner-state';
import { startRetention } from './store/retention';
import { keepHeapHeadroom } from './runtime/heap-headroom';
import type { Store } from './store/store';
import { createDetectionMetrics } from './telemetry/detection-metrics';
import { createLogger, type Logger } from './telemetry/logger';
import { startOtlpMetrics } from './telemetry/otlp-metrics';
import { VERSION } from './version';

export interface RunningAnomalog {
  processor: RunningProcessor;
  api: RunningApi | undefined;
  store: Store;
  manager: LifecycleManager | undefined;
  miner: TemplateMiner;
  close(): Promise<void>;
}

export async function startAnomalog(config: AnomalogConfig, opts: { logger?: Logger } = {}): Promise<RunningAnomalog> {
  const logger = opts.logger ?? createLogger(config.telemetry.logLevel);
  const store = await createStore(config.store, logger);
  const headroom = keepHeapHeadroom();
  const cleanup: (() => Promise<void>)[] = [async () => headroom.stop(), () => store.close()];
  try {
    const registry = new Registry();
    const parse = createTemplateStage(config.parser, new StoreMinerState(store), (message) => logger.error(message));
    await parse.open();
    let manager: LifecycleManager | undefined;
    const metrics = createDetectionMetrics(
      registry,
      () => parse.miner.size,
      () => manager?.openSessions() ?? 0,
    );
    const stages: AnnotationStage[] = [parse];
    if (config.detection.enabled) {
      manager = new LifecycleManager({
        store,
        defaults: config.detection.defaultModel,
        logger,
        metrics,
        maxServices: config.detection.maxServices,
        maxOpenSessions: config.detection.maxOpenSessions,
        templatesOf: (service) => templatesOf(parse.miner, service),
      });
      stages.push(
        createDetectStage({
          manager,
          store,
          logger,
          metrics,
          contextLines: config.store.retention.contextLines,
          templateText: (id) => parse.miner.templateText(id),
        }),
      );
    } else {
      logger.warn('detection.enabled is false: records get templates only, no scores');
    }
    const processor = await startProcessor(config, { stages, logger, registry });
    cleanup.unshift(() => processor.close());
    const retention = startRetention(store, logger);
    cleanup.unshift(() => retention.stop());
    const pusher = startOtlpMetrics(registry, config.exporter, config.telemetry.otlpMetricsIntervalS, logger, VERSION);
    // After the processor closed (last counts in), before the store closes.
    if (pusher) cleanup.splice(cleanup.length - 1, 0, () => pusher.stop());
    let api: RunningApi | undefined;
    if (config.api.enabled && manager) {
      const benchmarks = createBenchmarkRunner({ datasetsDir: config.api.datasetsDir, logger, history: store });
      cleanup.unshift(() => benchmarks.close());
      api = await startApiServer(config.api, { control: manager, store, benchmarks, logger, version: VERSION });
      cleanup.unshift(() => api!.close());
    }
    let closing: Promise<void> | undefined;
    return {
      processor,
      api,
      store,
      manager,
      miner: parse.miner,
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

function templatesOf(miner: TemplateMiner, service: string): Omit<TemplateInfo, 'suppressed'>[] {
  return miner
    .clusters()
    .filter((c) => c.service === service)
    .map((c) => ({
      service,
      templateId: c.id,
      template: c.tokens.join(' '),
      count: c.count,
      firstSeen: new Date(c.firstSeenMs).toISOString(),
      lastSeen: new Date(c.lastSeenMs).toISOString(),
    }));
}
