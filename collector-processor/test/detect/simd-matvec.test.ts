import { simdMatVec, wasmMemory } from '../../src/detect/simd-matvec';

describe('SIMD matvec (WebAssembly, assembled in code)', () => {
  test.each([
    [8, 4, 4],
    [64, 64, 256],
    [128, 64, 256],
    [128, 128, 256],
  ])('width %i, first %i columns, %i rows: add + rows · z as a plain loop computes it', (width, n, m) => {
    const memory = wasmMemory(4);
    const mv = simdMatVec(memory);
    expect(mv).toBeDefined(); // Node 20 has WebAssembly SIMD
    const f = new Float32Array(memory.buffer);
    const rows = 0;
    const z = m * width;
    const add = z + width;
    const out = add + m;
    for (let i = 0; i < m * width; i++) f[rows + i] = Math.sin(i * 0.7);
    for (let i = 0; i < width; i++) f[z + i] = Math.cos(i * 1.3);
    for (let j = 0; j < m; j++) f[add + j] = j / m;
    f.fill(NaN, out, out + m);
    mv!(4 * rows, 4 * z, width, n, 4 * add, 4 * out, m);
    for (let j = 0; j < m; j++) {
      let want = f[add + j];
      for (let i = 0; i < n; i++) want += f[rows + j * width + i] * f[z + i];
      expect(Math.abs(f[out + j] - want)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
    }
    expect(f[out + m]).toBe(0); // nothing written past the m rows
  });
});
