import { join } from 'node:path';

/**
 * How a worker thread loads a module of this package. Under the production build (this file is
 * JavaScript under dist/) the worker requires the built `.js` beside it as it is; run from the
 * TypeScript sources (tsx, jest) it registers tsx's require hook first. Callers clear execArgv, so a
 * parent's own loaders (jest, tsx) are not passed on.
 */
export interface WorkerScript {
  /** Code for `new Worker(script, { eval: true, workerData })`. */
  script: string;
  /** Put these into the worker's workerData. */
  data: { entry: string; tsxApi?: string };
}

const BUILT = __filename.endsWith('.js');

const LOAD = `const { workerData } = require('node:worker_threads');
if (workerData.tsxApi) require(workerData.tsxApi).register();
require(workerData.entry);`;

/** `dir` and `name` of the entry module, without extension (e.g. `__dirname`, 'train-worker'). */
export function workerScript(dir: string, name: string): WorkerScript {
  if (BUILT) return { script: LOAD, data: { entry: join(dir, `${name}.js`) } };
  return { script: LOAD, data: { entry: join(dir, `${name}.ts`), tsxApi: require.resolve('tsx/cjs/api') } };
}
