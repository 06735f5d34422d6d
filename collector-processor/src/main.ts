/**
 * CLI entry: `anomalog [--config FILE] [--key=value …]` (npm start) runs the whole service
 * (startAnomalog); `anomalog score FILE …` scores a file in batch (cli/score.ts). Bad
 * configuration: exit 2 with the key and reason. SIGTERM/SIGINT: stop accepting, finish in-flight
 * exports within telemetry.shutdownTimeoutMs, persist state, exit 0.
 */
import { startAnomalog, type RunningAnomalog } from './anomalog';
import { ConfigError, loadConfig, USAGE } from './config/load';
import { createLogger } from './telemetry/logger';
import { VERSION } from './version';

export async function run(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<RunningAnomalog | undefined> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return undefined;
  }
  if (argv.includes('--version')) {
    console.log(VERSION);
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
  const logger = createLogger(loaded.config.telemetry.logLevel);
  logger.info({ sources: loaded.sources, version: VERSION }, 'configuration loaded');
  if (loaded.unknownEnv.length)
    logger.warn({ variables: loaded.unknownEnv }, 'ignoring ANOMALOG_* variables that match no key');
  const service = await startAnomalog(loaded.config, { logger });
  const stop = (signal: string) => {
    logger.info({ signal }, 'signal received');
    service.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return service;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (argv[0] === 'score') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { scoreCommand } = require('./cli/score') as typeof import('./cli/score');
    process.exitCode = await scoreCommand(argv.slice(1));
    return;
  }
  await run(argv, env);
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).catch((err: Error) => {
    console.error(`anomalog: failed to start: ${err.message}`);
    process.exit(1);
  });
}
