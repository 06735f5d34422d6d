/**
 * 32-bit FNV-1a, one word at a time: the cheap, allocation-free hash of the project's direct-mapped
 * caches and fingerprints (`h = FNV_OFFSET; for each word h = fnvMix(h, word)`). Small enough for
 * V8 to inline on the hot paths that use it.
 */
export const FNV_OFFSET = 0x811c9dc5;

export function fnvMix(hash: number, word: number): number {
  return Math.imul(hash ^ word, 0x01000193);
}
