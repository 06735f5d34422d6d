import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One miner snapshot under one name (a file; batch tools). */
export interface MinerStateStore {
  load(): Promise<Uint8Array | undefined>;
  save(bytes: Uint8Array): Promise<void>;
}

/**
 * Miner snapshots kept per service (the live pipeline: store/miner-state.ts), so replicas sharing a
 * store never overwrite each other's templates and a replica taking a service over reads just that
 * service's. `loadLegacy` reads the single whole-miner snapshot older versions wrote (read-only).
 */
export interface ServiceMinerStateStore {
  loadService(service: string): Promise<Uint8Array | undefined>;
  saveService(service: string, bytes: Uint8Array): Promise<void>;
  /** Several services' snapshots at once (one transaction where the store has them). */
  saveServices?(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void>;
  loadLegacy?(): Promise<Uint8Array | undefined>;
}

/** Snapshot in one file, written to a temp file then renamed so a crash never leaves half a file. */
export class FileMinerStateStore implements MinerStateStore {
  constructor(readonly file: string) {}

  async load(): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.file));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async save(bytes: Uint8Array): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, this.file);
  }
}

/** In-memory store for tests and batch tools: per-service snapshots, plus `legacy` (the old single snapshot). */
export class MemoryMinerStateStore implements ServiceMinerStateStore {
  readonly services = new Map<string, Uint8Array>();
  legacy: Uint8Array | undefined;
  async loadService(service: string): Promise<Uint8Array | undefined> {
    return this.services.get(service);
  }
  async saveService(service: string, bytes: Uint8Array): Promise<void> {
    this.services.set(service, bytes.slice());
  }
  async loadLegacy(): Promise<Uint8Array | undefined> {
    return this.legacy;
  }
}
