/**
 * The package's programmatic entry points, and everything bench/ and the Grafana app's harness use
 * of the processor: they import from here only (lint-enforced), never a module by its path.
 */

// The service, the bare processor, batch scoring.
export { startAnomalog, type RunningAnomalog } from './anomalog';
export { startProcessor, type RunningProcessor, type ProcessorOptions } from './processor';
export { scoreFile, parseScoreArgs } from './cli/score';
export { LifecycleManager } from './lifecycle/manager';

// The annotation chain.
export { createAnnotationChain } from './chain/create';
export { createAttributesStage } from './chain/attributes-stage';
export { batchAnnotations, forEachRecord, newBatch, type AnnotationStage, type LogBatch } from './chain/stage';
export type { ParsedRecord } from './chain/outputs';

// Template mining.
export { TemplateMiner } from './parse/miner';
export { compileLineFormat } from './parse/line-format';
export type { MinerConfig } from './parse/config';

// Detectors and models.
export { Calibration, quantile } from './detect/calibration';
export type { Detector, Matrix } from './detect/detector';
export { LstmDetector } from './detect/lstm';
export { LstmKernel } from './detect/lstm-kernel';
export { lstmParams } from './detect/lstm-params';
export { potQuantile } from './detect/pot';
export { detectorFactory, detectorNames, matrixDetectorFactory } from './detect/registry';
export { initTf } from './detect/tf-backend';
export { fitRows } from './features/tabular';
export { SequenceModel } from './model/sequence-model';
export { newTemplateChance, VOCABULARY_GROWING } from './model/unseen-rule';

// Offline evaluation on labelled datasets.
export { mergeCases } from './evaluate/cases';
export { parseCsv, parseLabels } from './evaluate/csv';
export { shuffle, type Dataset, type SessionDataset } from './evaluate/dataset';
export {
  availableDatasets,
  datasetNames,
  loadDataset,
  loadGenericFolder,
  RAW_LOGS,
  readSplit,
} from './evaluate/datasets';
export { DEFAULT_FEATURE_CONFIG, matrixInputs } from './evaluate/features';
export { loadGeneric, type GenericSource } from './evaluate/generic';
export { measure, modelConfig, runBenchmark } from './evaluate/run';
export { f1Of, prCurve, rocAuc } from './evaluate/metrics';
export { severityFromText, timeOf } from './evaluate/raw-logs';
export { readLabelled, scoreTemplates, type LabelledLines, type TemplateScore } from './evaluate/templates';

// The demo scenario and its sender.
export { buildScenario, type DemoRecord } from './demo/scenario';
export { DemoSender } from './demo/sender';
export { DEMO_SERVICES } from './demo/services';

// OTLP.
export { logRecordOf } from './otlp/log-record';
export { decodeLogsRequest } from './otlp/logs-decode';
export { encodeLogsRequest } from './otlp/logs-encode';
export type { LogRecord, LogsData } from './otlp/types';
export { bindWithWindows } from './net/http2-windows';

// Stores.
export { createStore } from './store/create';
export { SqliteStore } from './store/sqlite';
export type { Store } from './store/store';

// Utilities.
export { mulberry32 } from './util/random';
