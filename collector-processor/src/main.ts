/**
 * CLI entry: `anomalog [--config FILE] [--key=value …]` (npm start). Bad configuration: exit 2
 * with the key and reason. SIGTERM/SIGINT: stop accepting, finish in-flight exports within
 * telemetry.shutdownTimeoutMs, exit 0.
 */
import { ConfigError, loadConfig, USAGE } from './config/load';
import { startProcessor, type ProcessorOptions, type RunningProcessor } from './processor';
import type { AnomalogConfig } from '@anomalog/shared';
import { createLogger, type Logger } from './telemetry/logger';

/** Options for startProcessor, fixed or built from the loaded configuration (e.g. stages that read it). */
export type OptionsFor =
  ProcessorOptions | ((config: AnomalogConfig, logger: Logger) => ProcessorOptions | Promise<ProcessorOptions>);

export async function run(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  options: OptionsFor = {},
): Promise<RunningProcessor | undefined> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return undefined;
  }
  let loaded;
  try {
    loaded = loadConfig({ argv, env });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`anomalog: ${err.message}`);
      process.exitCode = 2;
      return undefined;
    }
    throw err;
  }
  const fixed = typeof options === 'function' ? undefined : options;
  const logger = fixed?.logger ?? createLogger(loaded.config.telemetry.logLevel);
  logger.info({ sources: loaded.sources }, 'configuration loaded');
  if (loaded.unknownEnv.length)
    logger.warn({ variables: loaded.unknownEnv }, 'ignoring ANOMALOG_* variables that match no key');
  const opts = typeof options === 'function' ? await options(loaded.config, logger) : options;
  const proc = await startProcessor(loaded.config, { ...opts, logger });
  const stop = (signal: string) => {
    logger.info({ signal }, 'signal received');
    proc.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return proc;
}

if (require.main === module) {
  run(process.argv.slice(2), process.env).catch((err: Error) => {
    console.error(`anomalog: failed to start: ${err.message}`);
    process.exit(1);
  });
}
