/** The package's programmatic entry points: the whole service, the bare processor, batch scoring. */
export { startAnomalog, type RunningAnomalog } from './anomalog';
export { startProcessor, type RunningProcessor, type ProcessorOptions } from './processor';
export { scoreFile, parseScoreArgs } from './cli/score';
export { LifecycleManager } from './lifecycle/manager';
export { createStore } from './store/create';
export type { Store } from './store/store';
