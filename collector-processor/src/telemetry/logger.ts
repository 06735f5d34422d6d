import pino, { type Logger } from 'pino';

export type { Logger };

/** The processor's own structured log: JSON lines on stdout. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'anomalog' } });
}
