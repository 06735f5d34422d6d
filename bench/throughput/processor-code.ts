/**
 * The processor code the bench runs: the production build in collector-processor/dist (what
 * `npm start` runs, rebuilt here when the sources changed), or with BENCH_PROCESSOR_CODE=src the
 * TypeScript sources through tsx. The two differ in how modules are compiled, which shows in the
 * hot paths, so the bench measures what users run.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const PACKAGE = join(__dirname, '..', '..', 'collector-processor');

interface ProcessorCode {
  startAnomalog: typeof import('../../collector-processor/src').startAnomalog;
  startProcessor: typeof import('../../collector-processor/src').startProcessor;
  createAttributesStage: typeof import('../../collector-processor/src').createAttributesStage;
  forEachRecord: typeof import('../../collector-processor/src').forEachRecord;
}

export function processorCode(): ProcessorCode {
  const fromSources = process.env.BENCH_PROCESSOR_CODE === 'src';
  if (!fromSources)
    execFileSync(process.execPath, [join(PACKAGE, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  // BENCH_PROCESSOR_DIST: another build's directory under collector-processor (a copy of dist/), for A/B runs.
  const dir = join(PACKAGE, fromSources ? 'src' : (process.env.BENCH_PROCESSOR_DIST ?? 'dist'));
  /* eslint-disable @typescript-eslint/no-require-imports -- the directory is chosen at run time */
  return {
    startAnomalog: (require(join(dir, 'anomalog')) as ProcessorCode).startAnomalog,
    startProcessor: (require(join(dir, 'processor')) as ProcessorCode).startProcessor,
    createAttributesStage: (require(join(dir, 'chain', 'attributes-stage')) as ProcessorCode).createAttributesStage,
    forEachRecord: (require(join(dir, 'chain', 'stage')) as ProcessorCode).forEachRecord,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
