export { buildApi, startApiServer, type ApiDeps, type RunningApi } from './server';
export { createBenchmarkRunner, type BenchmarkService, type BenchmarkRunnerOptions } from './benchmarks/runner';
export { resolveAuth, isLoopbackHost } from './auth';
