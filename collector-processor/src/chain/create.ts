/**
 * The one composition of the annotation chain: parse → detect → attributes over a store. The service
 * (anomalog.ts), the `score` CLI, the benchmarks and the tests all build their chain here, so what
 * they measure and test is the chain `npm start` runs.
 */
import type { AnomalogConfig, ModelConfig, TemplateInfo } from '@anomalog/shared';
import type { Registry } from 'prom-client';
import { LifecycleManager, type LifecycleStore } from '../lifecycle/manager';
import type { MinerConfig } from '../parse/config';
import type { TemplateMiner } from '../parse/miner';
import type { ServiceMinerStateStore } from '../parse/persistence';
import type { AnomalyWriter } from '../store/anomalies';
import { createDetectionMetrics, type DetectionMetrics } from '../telemetry/detection-metrics';
import type { Logger } from '../telemetry/logger';
import { createAttributesStage } from './attributes-stage';
import { createDetectStage, type DetectStage } from './detect-stage';
import { createTemplateStage, type TemplateStage } from './parse-stage';
import type { AnnotationStage, LogBatch } from './stage';
import type { IncidentGrouping } from './anomaly-queue';
import type { LiveSuppressions } from './suppressions';

export interface ChainConfig {
  /** Template mining; defaults where unset. */
  parser?: Partial<MinerConfig>;
  /** Scoring; absent: records get templates only. */
  detection?: {
    defaultModel: ModelConfig;
    maxServices: number;
    /** Open sessions a service's live LSTM keeps at most (the manager's default when unset). */
    maxOpenSessions?: number;
    /** Lines kept before an anomaly as its context. */
    contextLines: number;
    /** Lines kept after it, and how long it waits for them (the detect stage's defaults when unset). */
    contextLinesAfter?: number;
    contextAfterWaitMs?: number;
    /** Longest context line kept; longer ones are cut (the detect stage's default when unset). */
    contextLineMaxChars?: number;
    /** Bytes all services' context lines hold together (the detect stage's default when unset). */
    contextMaxBytes?: number;
    /** A service unseen this long loses its metric series (default one hour). */
    staleSeriesMs?: number;
  };
}

export interface ChainDeps {
  logger: Logger;
  /** Anomalies and model versions; required with detection. */
  store?: LifecycleStore & AnomalyWriter;
  /** Per-service template snapshots; absent: templates live in memory only. */
  minerState?: ServiceMinerStateStore;
  /** Where the detection metrics register; absent: no metrics. */
  registry?: Registry;
  /** A parse stage to share instead of a new one (the detect side restarted over the same miner). */
  parse?: TemplateStage;
  /** Triage: the suppressions the detect stage applies, and where stored anomalies become incidents. */
  triage?: { suppressions: LiveSuppressions; incidents: IncidentGrouping };
}

export interface AnnotationChain {
  /** In order: parse, detect (with detection), attributes. */
  readonly stages: readonly AnnotationStage[];
  readonly parse: TemplateStage;
  readonly miner: TemplateMiner;
  readonly manager: LifecycleManager | undefined;
  readonly detect: DetectStage | undefined;
  readonly metrics: DetectionMetrics | undefined;
  /** One batch through every stage, outside the processor (CLI, benchmarks, tests): a stage's error throws. */
  process(batch: LogBatch): Promise<void>;
}

/** The chain's part of the service configuration. */
export function chainConfigOf(config: AnomalogConfig): ChainConfig {
  const d = config.detection;
  return {
    parser: config.parser,
    detection: d.enabled
      ? {
          defaultModel: d.defaultModel,
          maxServices: d.maxServices,
          maxOpenSessions: d.maxOpenSessions,
          contextLines: config.store.retention.contextLines,
          contextLinesAfter: config.store.retention.contextLinesAfter,
          contextAfterWaitMs: config.store.retention.contextAfterWaitSeconds * 1000,
          contextLineMaxChars: config.store.retention.contextLineMaxChars,
          contextMaxBytes: config.store.retention.contextMaxMiB * 1024 * 1024,
          staleSeriesMs: config.telemetry.staleSeriesMinutes * 60_000,
        }
      : undefined,
  };
}

export async function createAnnotationChain(config: ChainConfig, deps: ChainDeps): Promise<AnnotationChain> {
  const { logger, store } = deps;
  let parse = deps.parse;
  if (!parse) {
    parse = createTemplateStage(config.parser, deps.minerState, (message) => logger.error(message));
    await parse.open();
  }
  const miner = parse.miner;
  let manager: LifecycleManager | undefined;
  const metrics = deps.registry
    ? createDetectionMetrics(
        deps.registry,
        () => miner.size,
        () => manager?.openSessions() ?? 0,
        {
          maxServices: config.detection?.maxServices ?? 1000,
          staleMs: config.detection?.staleSeriesMs ?? 60 * 60_000,
        },
      )
    : undefined;
  let detect: DetectStage | undefined;
  const d = config.detection;
  if (d) {
    if (!store) throw new Error('createAnnotationChain: detection needs a store');
    manager = new LifecycleManager({
      store,
      defaults: d.defaultModel,
      logger,
      metrics,
      maxServices: d.maxServices,
      maxOpenSessions: d.maxOpenSessions,
      templatesOf: (service) => templatesOf(miner, service),
    });
    detect = createDetectStage({
      manager,
      store,
      logger,
      metrics,
      contextLines: d.contextLines,
      contextLinesAfter: d.contextLinesAfter,
      contextAfterWaitMs: d.contextAfterWaitMs,
      contextLineMaxChars: d.contextLineMaxChars,
      contextMaxBytes: d.contextMaxBytes,
      maxServices: d.maxServices,
      templateText: (id) => miner.templateText(id),
      suppressions: deps.triage?.suppressions,
      incidents: deps.triage?.incidents,
    });
  }
  const stages: AnnotationStage[] = detect
    ? [parse, detect, createAttributesStage()]
    : [parse, createAttributesStage()];
  return {
    stages,
    parse,
    miner,
    manager,
    detect,
    metrics,
    async process(batch) {
      for (const stage of stages) await stage.process(batch);
    },
  };
}

function templatesOf(miner: TemplateMiner, service: string): Omit<TemplateInfo, 'suppressed'>[] {
  return miner
    .clusters()
    .filter((c) => c.service === service)
    .map((c) => ({
      service,
      templateId: c.id,
      template: miner.templateText(c.id) ?? c.tokens.join(' '),
      count: c.count,
      firstSeen: new Date(c.firstSeenMs).toISOString(),
      lastSeen: new Date(c.lastSeenMs).toISOString(),
    }));
}
