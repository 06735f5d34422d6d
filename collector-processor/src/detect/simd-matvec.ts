/**
 * out[j] = add[j] + rows[j] · z[0..n) for m rows, in WebAssembly SIMD (f32x4), four rows at a
 * time: the LSTM kernel's gate products (lstm-kernel.ts), most of streaming LSTM scoring's time in
 * plain JS (bench:lstm profile). The module is a dozen instructions, so it is assembled here
 * byte by byte rather than shipped as a build artefact; every array lives in one WebAssembly.Memory
 * the caller lays out, and pointers are byte offsets into it. Sums are in float32 (as tfjs sums).
 */

/** matvec(rows, z, width, n, add, out, m): byte offsets; width and n in floats, multiples of 4; m of 4. */
export type MatVec = (rows: number, z: number, width: number, n: number, add: number, out: number, m: number) => void;

const I32 = 0x7f;
const V128 = 0x7b;
// locals: params 0..6, then i32 j i stride r1 r2 r3 (7..12), v128 acc0..acc3 zi (13..17)
const [ROWS, Z, WIDTH, N, ADD, OUT, M, J, I, STRIDE, R1, R2, R3] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const ACC = [13, 14, 15, 16];
const ZI = 17;

const get = (l: number) => [0x20, l];
const set = (l: number) => [0x21, l];
const i32 = (v: number) => [0x41, ...sleb(v)];
const ADD_I32 = 0x6a;
const SHL = 0x74;
const GE_U = 0x4f;
const V128_LOAD = [0xfd, 0x00, 0x02, 0x00]; // align 2^2, offset 0
const V128_ZERO = [0xfd, 0x0c, ...new Array(16).fill(0)];
const F32X4_ADD = [0xfd, 0xe4, 0x01];
const F32X4_MUL = [0xfd, 0xe6, 0x01];
const lane = (k: number) => [0xfd, 0x1f, k];
const F32_ADD = 0x92;
const F32_LOAD = [0x2a, 0x02, 0x00];
const F32_STORE = [0x38, 0x02, 0x00];

function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    const b = v & 0x7f;
    v >>>= 7;
    out.push(v ? b | 0x80 : b);
  } while (v);
  return out;
}

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (s: string) => [...uleb(s.length), ...Buffer.from(s)];

function body(): number[] {
  const rowPtr = [ROWS, R1, R2, R3];
  // prettier-ignore
  const code = [
    ...get(WIDTH), ...i32(2), SHL, ...set(STRIDE),
    ...get(N), ...i32(2), SHL, ...set(N),
    0x02, 0x40, 0x03, 0x40, // block, loop: one pass per four rows
    ...get(J), ...get(M), GE_U, 0x0d, 1,
    ...get(ROWS), ...get(STRIDE), ADD_I32, ...set(R1),
    ...get(R1), ...get(STRIDE), ADD_I32, ...set(R2),
    ...get(R2), ...get(STRIDE), ADD_I32, ...set(R3),
    ...ACC.flatMap((a) => [...V128_ZERO, ...set(a)]),
    ...i32(0), ...set(I),
    0x02, 0x40, 0x03, 0x40, // block, loop: four floats of z at a time
    ...get(I), ...get(N), GE_U, 0x0d, 1,
    ...get(Z), ...get(I), ADD_I32, ...V128_LOAD, ...set(ZI),
    ...ACC.flatMap((a, k) => [
      ...get(a), ...get(rowPtr[k]), ...get(I), ADD_I32, ...V128_LOAD, ...get(ZI), ...F32X4_MUL, ...F32X4_ADD, ...set(a),
    ]),
    ...get(I), ...i32(16), ADD_I32, ...set(I),
    0x0c, 0, 0x0b, 0x0b, // br inner loop; end loop; end block
    ...ACC.flatMap((a, k) => [
      ...get(OUT), ...get(J), ...i32(k), ADD_I32, ...i32(2), SHL, ADD_I32,
      ...get(ADD), ...get(J), ...i32(k), ADD_I32, ...i32(2), SHL, ADD_I32, ...F32_LOAD,
      ...[0, 1, 2, 3].flatMap((l) => [...get(a), ...lane(l), F32_ADD]),
      ...F32_STORE,
    ]),
    ...get(R3), ...get(STRIDE), ADD_I32, ...set(ROWS),
    ...get(J), ...i32(4), ADD_I32, ...set(J),
    0x0c, 0, 0x0b, 0x0b, // br outer loop; end loop; end block
    0x0b, // end function
  ];
  const locals = [2, 6, I32, 5, V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(): Uint8Array {
  // prettier-ignore
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 7, ...new Array(7).fill(I32), 0]),
    ...section(2, [1, ...name('e'), ...name('m'), 0x02, 0x00, 0x01]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('mv'), 0x00, 0]),
    ...section(10, [1, ...body()]),
  ]);
}

/**
 * The part of the WebAssembly JS API used here, typed locally: the ES2022 lib and @types/node 20 do
 * not declare it, and a global declaration would clash where the DOM lib does (the Grafana app's
 * harness compiles this file too).
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A memory of `pages` 64 KiB pages for simdMatVec. */
export function wasmMemory(pages: number): WasmMemory {
  return new wasm.Memory({ initial: pages });
}

let compiled: object | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is not available (callers then stay in JS). */
function simdModule(): object | null {
  if (compiled === undefined) {
    const bytes = moduleBytes();
    compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

/** A matvec over `memory`, or undefined without SIMD. */
export function simdMatVec(memory: WasmMemory): MatVec | undefined {
  const mod = simdModule();
  if (!mod) return undefined;
  const instance = new wasm.Instance(mod, { e: { m: memory } });
  return instance.exports.mv as MatVec;
}
