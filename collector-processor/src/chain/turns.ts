import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Hands out event-loop turns in call order: each promise resolves in a later turn than the one before
 * it. A request's annotation chain is synchronous work of milliseconds (tens for 8,192 records); when
 * several requests arrive together, waiting for a turn before each chain lets the loop poll I/O between
 * them (exports of the requests already annotated leave, the API answers) instead of running every
 * chain back to back in one task. Requests still start their chains in arrival order.
 */
export function createTurns(): () => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return () => (last = last.then(() => nextTurn()));
}
