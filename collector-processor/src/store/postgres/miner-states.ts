import type { MinerStateStore } from '../miner-states';
import { bytesOf, type PostgresConnection } from './connection';

const PUT =
  'INSERT INTO miner_state (key, bytes, updated_at) VALUES ($1, $2, now()) ' +
  'ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes, updated_at = excluded.updated_at';

export class PostgresMinerStates implements MinerStateStore {
  constructor(private readonly c: PostgresConnection) {}

  async loadMinerState(key: string): Promise<Uint8Array | undefined> {
    const { rows } = await this.c.query<{ bytes: Buffer }>('SELECT bytes FROM miner_state WHERE key = $1', [key]);
    return rows[0] ? bytesOf(rows[0].bytes) : undefined;
  }

  async saveMinerState(key: string, bytes: Uint8Array): Promise<void> {
    await this.c.write(`miner state ${key}`, () =>
      this.c.query(PUT, [key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]),
    );
  }

  async saveMinerStates(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void> {
    if (entries.length === 0) return;
    await this.c.write(`miner state of ${entries.length} service(s)`, () =>
      this.c.transaction(async (c) => {
        for (const [key, bytes] of entries)
          await c.query(PUT, [key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
      }),
    );
  }
}
