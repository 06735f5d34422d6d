import type { Logger } from '../telemetry/logger';
import { errorMessage } from './errors';
import type { Store } from './store';

/**
 * Run `store.enforceRetention` now and every `everyMs` (default hourly) until stopped. Failures are
 * logged, never thrown: a missed round is caught up by the next one.
 */
export function startRetention(store: Store, logger: Logger, everyMs = 3_600_000): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const round = () => {
    running = running.then(async () => {
      try {
        const deleted = await store.enforceRetention(Date.now());
        if (deleted > 0) logger.info({ deleted }, 'store retention deleted old rows');
      } catch (err) {
        logger.error({ err: errorMessage(err) }, 'store retention failed; retrying next round');
      }
    });
  };
  round();
  const timer = setInterval(round, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
