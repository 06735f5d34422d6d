import type { Database as Db } from 'better-sqlite3';
import type { MinerStateStore } from '../miner-states';
import { bytesOf, type SqliteConnection } from './connection';

function statements(db: Db) {
  return {
    get: db.prepare('SELECT bytes FROM miner_state WHERE key = ?'),
    put: db.prepare(
      'INSERT INTO miner_state (key, bytes, updated_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes, updated_at = excluded.updated_at',
    ),
  };
}

export class SqliteMinerStates implements MinerStateStore {
  private stmts!: ReturnType<typeof statements>;

  constructor(private readonly c: SqliteConnection) {}

  prepare(db: Db): void {
    this.stmts = statements(db);
  }

  async loadMinerState(key: string): Promise<Uint8Array | undefined> {
    const row = this.stmts.get.get(key) as { bytes: Buffer } | undefined;
    return row ? bytesOf(row.bytes) : undefined;
  }

  async saveMinerState(key: string, bytes: Uint8Array): Promise<void> {
    this.c.write(`miner state ${key}`, () => this.stmts.put.run(key, bytes, new Date().toISOString()));
  }

  async saveMinerStates(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void> {
    const at = new Date().toISOString();
    const putAll = this.c.db.transaction(() => {
      for (const [key, bytes] of entries) this.stmts.put.run(key, bytes, at);
    });
    this.c.write(`miner state of ${entries.length} service(s)`, () => putAll());
  }
}
