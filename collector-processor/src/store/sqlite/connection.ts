import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import type { AnomalogConfig } from '@anomalog/shared';
import type { Logger } from '../../telemetry/logger';
import { errorMessage, isDiskFull, StoreError, StoreFullError } from '../errors';
import { FullDiskGuard } from '../full-disk';
import { LowSpaceWatch, type LowSpaceOptions } from '../low-space';
import { migrateSqlite } from '../sqlite-schema';
import type { StoreStatus } from '../store';

export const SQLITE_FILE_NAME = 'anomalog.db';
/**
 * The WAL keeps its largest size after a checkpoint unless limited: one big model save would hold
 * that much disk for good. After each checkpoint it is cut back to this.
 */
export const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

export type StoreSettings = AnomalogConfig['store'];

/**
 * The one SQLite connection the concerns' stores share: opening, the full-disk guard every write goes
 * through, the low-space watch, and a cache of statements built from query text.
 */
export class SqliteConnection {
  readonly file: string;
  readonly guard: FullDiskGuard;
  readonly lowSpace: LowSpaceWatch;
  private handle: Db | undefined;
  private readonly queryCache = new Map<string, Statement>();

  constructor(
    readonly settings: StoreSettings,
    readonly logger: Logger,
    options: LowSpaceOptions = {},
  ) {
    this.file = join(resolve(settings.dataDir), SQLITE_FILE_NAME);
    this.guard = new FullDiskGuard('sqlite', this.file, logger);
    this.lowSpace = new LowSpaceWatch(resolve(settings.dataDir), logger, options);
  }

  get db(): Db {
    if (!this.handle) throw new StoreError(`SQLite store ${this.file} is not open`);
    return this.handle;
  }

  /** Opens the file (WAL journal) and migrates its tables; `prepare` builds the statements on it. */
  open(prepare: (db: Db) => void): void {
    const dir = resolve(this.settings.dataDir);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (err) {
      throw new StoreError(
        `store.dataDir ${dir} is not a writable directory (${errorMessage(err)}). Create it with write ` +
          `permission for this user, or point store.dataDir (ANOMALOG_STORE_DATA_DIR) elsewhere`,
        { cause: err },
      );
    }
    let db: Db | undefined;
    try {
      db = new Database(this.file);
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') this.logger.warn({ file: this.file, mode }, 'SQLite could not use WAL; writes are slower');
      db.pragma(`synchronous = ${this.settings.sqliteSynchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      db.pragma('busy_timeout = 5000');
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
      db.pragma('foreign_keys = ON');
      migrateSqlite(db, this.file);
      prepare(db);
    } catch (err) {
      db?.close();
      throw this.openError(err);
    }
    this.handle = db;
    this.logger.info({ file: this.file, synchronous: this.settings.sqliteSynchronous }, 'SQLite store open');
  }

  private openError(err: unknown): Error {
    if (err instanceof StoreError) return err;
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
      return new StoreError(
        `SQLite database ${this.file} is damaged or not an SQLite file (${errorMessage(err)}). Stop Anomalog and ` +
          `either restore a backup (docs/store.md) or move the file aside (with its -wal and -shm files) to start ` +
          `with an empty store: mv ${this.file} ${this.file}.broken`,
        { cause: err },
      );
    if (isDiskFull(err))
      return new StoreFullError(`no space left to open SQLite database ${this.file}: free disk space`, { cause: err });
    return new StoreError(`cannot open SQLite database ${this.file}: ${errorMessage(err)}`, { cause: err });
  }

  close(): void {
    const db = this.handle;
    this.handle = undefined;
    this.queryCache.clear();
    db?.close();
  }

  status(): StoreStatus {
    return { ...this.guard.status(), lowDiskSpace: this.lowSpace.low };
  }

  /** Run a write; a full disk marks the status and becomes StoreFullError. */
  write<T>(what: string, fn: () => T): T {
    try {
      return this.guard.succeeded(fn());
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      this.guard.full(err);
      throw new StoreFullError(`store full: cannot save ${what} to ${this.file}; free disk space`, { cause: err });
    }
  }

  /** The statement for a query built at run time (filters), prepared once per text. */
  cached(sql: string): Statement {
    let stmt = this.queryCache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.queryCache.set(sql, stmt);
    }
    return stmt;
  }
}

export function bytesOf(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
