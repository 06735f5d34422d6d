/**
 * The miner's snapshot format (TemplateMiner.snapshot / restore): its templates and the Drain groups
 * that route to them, as versioned JSON. Where snapshots are kept is persistence.ts's concern.
 */
import type { Cluster } from './cluster';

const VERSION = 1;

export interface MinerSnapshot {
  byId: Map<string, Cluster>;
  /** Group key and the ids of its templates, in order. */
  groups: [string, string[]][];
}

export function encodeSnapshot(clusters: readonly Cluster[], groups: readonly [string, string[]][]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ version: VERSION, clusters, groups }));
}

/** The templates and groups of a snapshot; throws a clear error on a broken one. */
export function parseSnapshot(bytes: Uint8Array): MinerSnapshot {
  let state: { version: number; clusters: Cluster[]; groups: [string, string[]][] };
  try {
    state = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Error(`miner snapshot is not valid JSON: ${(e as Error).message}`);
  }
  if (state?.version !== VERSION || !Array.isArray(state.clusters) || !Array.isArray(state.groups))
    throw new Error('miner snapshot has an unknown layout');
  const byId = new Map<string, Cluster>();
  for (const c of state.clusters) {
    if (typeof c?.id !== 'string' || !Array.isArray(c.tokens)) throw new Error('miner snapshot: bad cluster');
    byId.set(c.id, c);
  }
  return { byId, groups: state.groups };
}
