/** The store could not be opened or used; the message says what to do. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A query the caller can fix (bad time bound, empty filter). */
export class StoreQueryError extends StoreError {
  override readonly name = 'StoreQueryError';
}

/** A write failed for lack of space (SQLITE_FULL, PostgreSQL disk_full, ENOSPC). */
export class StoreFullError extends StoreError {
  override readonly name = 'StoreFullError';
}

// 53100 is PostgreSQL's disk_full (53200 is out_of_memory: trimming anomalies would not help).
const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', '53100']);

/** True when `err` says the disk (or the database's size limit) is full. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && FULL_CODES.has(code);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
