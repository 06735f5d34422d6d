import type { ServiceMinerStateStore } from '../parse/persistence';
import type { MinerStateStore } from './miner-states';

/** The key of the single whole-miner snapshot versions before per-service snapshots wrote (read only now). */
export const LEGACY_MINER_KEY = 'miner';

/** The Store key of one service's miner snapshot. */
export function minerKey(service: string): string {
  return `${LEGACY_MINER_KEY}:${service}`;
}

/**
 * The template miner's snapshots in the Store, one row per service (`miner:<service>`); the old
 * `miner` row is only read, as a fallback for services that have no row of their own yet.
 */
export class StoreMinerState implements ServiceMinerStateStore {
  constructor(private readonly store: MinerStateStore) {}

  loadService(service: string): Promise<Uint8Array | undefined> {
    return this.store.loadMinerState(minerKey(service));
  }

  saveService(service: string, bytes: Uint8Array): Promise<void> {
    return this.store.saveMinerState(minerKey(service), bytes);
  }

  saveServices(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void> {
    return this.store.saveMinerStates(entries.map(([service, bytes]) => [minerKey(service), bytes] as const));
  }

  loadLegacy(): Promise<Uint8Array | undefined> {
    return this.store.loadMinerState(LEGACY_MINER_KEY);
  }
}
