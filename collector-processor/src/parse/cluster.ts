/** One template: its tokens (`<*>` for variables), stable id and how often / when it was seen. */
export interface Cluster {
  id: string;
  service: string;
  tokens: string[];
  count: number;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Miner-wide use counter at the last match: orders clusters for least-recently-seen eviction. */
  lastUse: number;
  /** Inner gaps between constants where some lines hold a variable and some none (render.ts). */
  gaps?: number[];
  /** Per token: the letters-only `key=` value every line has had there (shown in the text), else null. */
  kept?: (string | null)[];
}
