/**
 * The seeded generators the project uses, each defined once. Both are deterministic across runs and
 * machines, so fits, splits and demo runs are reproducible from their seed.
 */

/** mulberry32: good statistical quality for its size (forests, the demo scenario, bench data). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit LCG in [0, 1) (Numerical Recipes constants): shuffles, splits and sub-samples. */
export function lcg(seed: number): () => number {
  let r = seed >>> 0;
  return () => (r = (Math.imul(r, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
