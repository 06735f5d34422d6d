/**
 * The template miner's snapshots, one per key (a replica shares them per service in PostgreSQL);
 * SQLite `sqlite/miner-states.ts`, PostgreSQL `postgres/miner-states.ts`.
 */
export interface MinerStateStore {
  loadMinerState(key: string): Promise<Uint8Array | undefined>;
  saveMinerState(key: string, bytes: Uint8Array): Promise<void>;
  /** Several snapshots in one transaction (one commit for a request that created templates of many services). */
  saveMinerStates(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void>;
}
