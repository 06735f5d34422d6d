import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Where miner snapshots live. Issue 6 adds SQLite/PostgreSQL implementations. */
export interface MinerStateStore {
  load(): Promise<Uint8Array | undefined>;
  save(bytes: Uint8Array): Promise<void>;
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

/** In-memory store for tests and batch tools. */
export class MemoryMinerStateStore implements MinerStateStore {
  bytes: Uint8Array | undefined;
  async load(): Promise<Uint8Array | undefined> {
    return this.bytes;
  }
  async save(bytes: Uint8Array): Promise<void> {
    this.bytes = bytes.slice();
  }
}
