import type { MinerStateStore } from '../parse/persistence';
import type { Store } from './store';

/** The template miner's snapshot kept in the Store under `key` (e.g. one key per service). */
export class StoreMinerState implements MinerStateStore {
  constructor(
    private readonly store: Store,
    readonly key: string,
  ) {}

  load(): Promise<Uint8Array | undefined> {
    return this.store.loadMinerState(this.key);
  }

  save(bytes: Uint8Array): Promise<void> {
    return this.store.saveMinerState(this.key, bytes);
  }
}
