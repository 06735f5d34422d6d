import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Hands out event-loop turns in call order: each promise resolves in a later turn than the one before
 * it. Every slice of a request's chain (slices.ts) and every piece of a large request's decoding
 * (receive/request-pieces.ts) waits for a turn first, so the loop polls I/O between any two of them
 * (exports leave, the API and health checks answer, new requests arrive) instead of running them back
 * to back in one task, and concurrent large requests advance a slice each in turn. Requests still
 * start their chains in arrival order.
 */
export function createTurns(): () => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return () => (last = last.then(() => nextTurn()));
}

/**
 * Whether the event loop has gone round since the call (the returned function answers, once): false
 * while only this turn and its microtasks ran, true once something waited for I/O or a timer.
 */
export function loopTurnedSince(): () => boolean {
  let turned = false;
  const probe = setImmediate(() => (turned = true));
  return () => {
    clearImmediate(probe);
    return turned;
  };
}
