import { statfsSync } from 'node:fs';
import type { Logger } from '../telemetry/logger';
import { errorMessage } from './errors';

/** Below this much free space on the data directory's file system the SQLite store stops growing. */
export const LOW_SPACE_BYTES = 128 * 1024 * 1024;
const CHECK_EVERY_MS = 5_000;

export interface LowSpaceOptions {
  /** Free bytes under which the store keeps its size (default LOW_SPACE_BYTES). */
  lowSpaceBytes?: number;
  /** Free bytes on the file system holding `dir` (default: statfs). Tests inject it. */
  freeBytes?: (dir: string) => number;
  /** How long a reading is reused, so the insert path does not call statfs each time (default 5 s). */
  checkEveryMs?: number;
}

function statfsFree(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/**
 * Watches the free space where the SQLite file lives. Trimming after SQLITE_FULL does not work on a
 * really full file system (deleting rows must write to the WAL first, and a checkpoint cannot grow
 * the database file), so the store acts before: while space is low, each anomaly batch deletes as
 * many of the oldest anomalies as it inserts, and the freed pages take the new rows.
 */
export class LowSpaceWatch {
  private checkedAt = -Infinity;
  private lowNow = false;
  private readonly threshold: number;
  private readonly freeBytes: (dir: string) => number;
  private readonly every: number;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
    options: LowSpaceOptions = {},
  ) {
    this.threshold = options.lowSpaceBytes ?? LOW_SPACE_BYTES;
    this.freeBytes = options.freeBytes ?? statfsFree;
    this.every = options.checkEveryMs ?? CHECK_EVERY_MS;
  }

  get low(): boolean {
    return this.lowNow;
  }

  /** Is space low now? Reads the file system at most every `checkEveryMs`. */
  check(now = Date.now()): boolean {
    if (now - this.checkedAt < this.every) return this.lowNow;
    this.checkedAt = now;
    let free: number;
    try {
      free = this.freeBytes(this.dir);
    } catch (err) {
      // No statfs here (or the call failed): the full-disk path still applies.
      this.logger.debug({ err: errorMessage(err), dir: this.dir }, 'cannot read free disk space');
      return (this.lowNow = false);
    }
    const low = free < this.threshold;
    if (low && !this.lowNow)
      this.logger.warn(
        { dir: this.dir, freeBytes: free, thresholdBytes: this.threshold },
        'low disk space: the store stops growing (each new anomaly replaces the oldest); free disk space',
      );
    if (!low && this.lowNow)
      this.logger.info({ dir: this.dir, freeBytes: free }, 'disk space back: the store grows again');
    this.lowNow = low;
    return low;
  }
}
