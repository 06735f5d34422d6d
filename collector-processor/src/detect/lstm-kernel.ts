/**
 * Inference kernel for the DeepLog model over Float32Array weights exported from the trained tfjs
 * model: embedding -> stacked LSTM cells (tfjs gate order i, f, c, o; sigmoid recurrent activation,
 * tanh activation) -> dense -> softmax. Preallocated buffers: no allocation per step. The gate
 * products run in WebAssembly SIMD (simd-matvec.ts, float32 sums as tfjs) where available, else in JS
 * (float64 sums); states in float32. Windows of the model's h resume from a cached prefix state
 * (lstm-prefix.ts).
 */
import { PrefixStates } from './lstm-prefix';
import { simdMatVec, wasmMemory, type MatVec, type WasmMemory } from './simd-matvec';
export interface LstmLayerWeights {
  /** [inputDim, 4*units] row-major (tfjs kernel). */
  readonly kernel: Float32Array;
  /** [units, 4*units] row-major. */
  readonly recurrent: Float32Array;
  /** [4*units]. */
  readonly bias: Float32Array;
  readonly inputDim: number;
  readonly units: number;
}

export interface LstmWeights {
  /** [vocab+1, embedDim] (last row = padding key). */
  readonly embedding: Float32Array;
  readonly embedDim: number;
  readonly layers: readonly LstmLayerWeights[];
  /** [lastUnits, classes] row-major. */
  readonly denseKernel: Float32Array;
  readonly denseBias: Float32Array;
  readonly classes: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * One layer's weights rearranged for the step: gate rows are contiguous (the [in, 4u] tfjs kernel
 * transposed), so each gate is a dot product accumulated in a register instead of a store per
 * multiply-add; a layer above the first reads its input and its own previous state as one vector.
 */
interface PackedLayer {
  readonly units: number;
  /** Width of the vector a gate row multiplies (layer 0: units; others: inputDim + units). */
  readonly width: number;
  /** [4u, width] row-major. */
  readonly rows: Float32Array;
  /** [4u] (layers above the first; layer 0's bias is inside its input table). */
  readonly bias: Float32Array;
  /** The vector the rows multiply: layer 0 its state h; others [input h, own h]. Float32 like tfjs. */
  readonly z: Float32Array;
  readonly c: Float32Array;
  /** Float64 sums in JS; float32 from the SIMD matvec, whose memory it lives in. */
  readonly gates: Float32Array | Float64Array;
}

/**
 * Where the kernel's arrays live: plain typed arrays for the JS products, or views into one
 * WebAssembly.Memory for the SIMD matvec (simd-matvec.ts), which takes byte offsets into it.
 */
class Arena {
  private at = 0;
  private constructor(
    private readonly memory?: WasmMemory,
    readonly matvec?: MatVec,
  ) {}

  /** SIMD when available and every product is over whole lanes (units multiples of 4). */
  static for(w: LstmWeights, floats: number): Arena {
    if (w.layers.every((l, li) => l.units % 4 === 0 && (li === 0 || l.inputDim % 4 === 0))) {
      // 16-byte alignment of every array: at most 4 floats of padding each, 8 arrays a layer at most
      const bytes = 4 * (floats + 4 * (2 + 8 * w.layers.length));
      const memory = wasmMemory(Math.ceil(bytes / 65536));
      const matvec = simdMatVec(memory);
      if (matvec) return new Arena(memory, matvec);
    }
    return new Arena();
  }

  f32(n: number): Float32Array {
    if (!this.memory) return new Float32Array(n);
    const view = new Float32Array(this.memory.buffer, this.at, n);
    this.at += 4 * (n + ((4 - (n % 4)) % 4));
    return view;
  }

  gates(n: number): Float32Array | Float64Array {
    return this.memory ? this.f32(n) : new Float64Array(n);
  }
}

export class LstmKernel {
  readonly probs: Float32Array;
  /** Layer 0's gate input for each key: bias + embedding row · kernel (inputs are keys, not vectors). */
  private readonly keyGates: Float32Array;
  private readonly layers: PackedLayer[];
  private readonly denseRows: Float32Array;
  private readonly logits: Float64Array;
  /** The state is all zeros (after reset): the recurrent products are skipped. */
  private fresh = true;
  /** The SIMD gate products, when available (Arena); else dot4 in JS. */
  private readonly matvec?: MatVec;
  /** Every layer's z and c, one array (views below), so a state is saved and restored in one copy. */
  private readonly state: Float32Array;
  private readonly prefixes: PrefixStates | undefined;
  private readonly window: number;

  /** `window`: the h of the windows to predict; enables the prefix-state cache for them. */
  constructor(
    readonly w: LstmWeights,
    window?: number,
  ) {
    const l0 = w.layers[0];
    const n4 = 4 * l0.units;
    const keys = w.embedding.length / w.embedDim;
    const widths = w.layers.map((l, li) => (li === 0 ? l.units : l.inputDim + l.units));
    const stateFloats = widths.reduce((a, width, li) => a + width + w.layers[li].units, 0);
    const layerFloats = w.layers.reduce((a, l, li) => a + 4 * l.units * (widths[li] + 2), 0);
    const arena = Arena.for(w, keys * n4 + layerFloats + stateFloats);
    this.matvec = arena.matvec;
    this.keyGates = arena.f32(keys * n4);
    for (let k = 0; k < keys; k++) {
      for (let j = 0; j < n4; j++) {
        let acc = l0.bias[j];
        for (let i = 0; i < w.embedDim; i++) acc += w.embedding[k * w.embedDim + i] * l0.kernel[i * n4 + j];
        this.keyGates[k * n4 + j] = acc;
      }
    }
    this.state = arena.f32(stateFloats);
    let at = 0;
    this.layers = w.layers.map((l, li) => {
      const first = li === 0;
      const width = widths[li];
      const m = 4 * l.units;
      const rows = arena.f32(m * width);
      for (let j = 0; j < m; j++) {
        for (let i = 0; i < width; i++) {
          const fromRec = first || i >= l.inputDim;
          rows[j * width + i] = fromRec ? l.recurrent[(first ? i : i - l.inputDim) * m + j] : l.kernel[i * m + j];
        }
      }
      const z = this.state.subarray(at, at + width);
      const c = this.state.subarray(at + width, at + width + l.units);
      at += width + l.units;
      const bias = arena.f32(m);
      bias.set(l.bias);
      return { units: l.units, width, rows, bias, z, c, gates: arena.gates(m) };
    });
    this.window = window ?? 0;
    this.prefixes = window && window > 1 ? new PrefixStates(window, this.state.length) : undefined;
    const last = w.layers[w.layers.length - 1].units;
    this.denseRows = new Float32Array(w.classes * last);
    for (let j = 0; j < w.classes; j++)
      for (let i = 0; i < last; i++) this.denseRows[j * last + i] = w.denseKernel[i * w.classes + j];
    this.logits = new Float64Array(w.classes);
    this.probs = new Float32Array(w.classes);
  }

  reset(): void {
    this.state.fill(0);
    this.fresh = true;
  }

  /** Advances the state by one key. */
  step(key: number): void {
    const layers = this.layers;
    for (let li = 0; li < layers.length; li++) {
      const l = layers[li];
      const u = l.units;
      const g = l.gates;
      if (li === 0) this.gatesFirst(l, key);
      else {
        // The layer's input is the layer below's new state: the first `units` of its z.
        const below = layers[li - 1];
        const from = li === 1 ? 0 : below.width - below.units;
        const off = l.width - u;
        for (let i = 0; i < off; i++) l.z[i] = below.z[from + i];
        this.gatesDot(l, this.fresh ? off : l.width);
      }
      // New state; a layer above the first keeps it at the end of z (after its input).
      const c = l.c;
      const z = l.z;
      const hAt = li === 0 ? 0 : l.width - u;
      for (let j = 0; j < u; j++) {
        const ig = sigmoid(g[j]);
        const fg = sigmoid(g[u + j]);
        const cc = Math.tanh(g[2 * u + j]);
        const og = sigmoid(g[3 * u + j]);
        const cn = fg * c[j] + ig * cc;
        c[j] = cn;
        z[hAt + j] = og * Math.tanh(cn);
      }
    }
    this.fresh = false;
  }

  /** Layer 0: the key's input gates plus the recurrent product (skipped from the zero state). */
  private gatesFirst(l: PackedLayer, key: number): void {
    const g = l.gates;
    const m = g.length;
    const base = key * m;
    const kg = this.keyGates;
    if (this.fresh) {
      for (let j = 0; j < m; j++) g[j] = kg[base + j];
      return;
    }
    this.product(l, l.width, kg, base);
  }

  /** Gates = bias + rows · z over the first `n` entries of z (the input only from the zero state). */
  private gatesDot(l: PackedLayer, n: number): void {
    this.product(l, n, l.bias, 0);
  }

  /** l.gates = add[at…] + l.rows · l.z[0..n). */
  private product(l: PackedLayer, n: number, add: Float32Array, at: number): void {
    if (this.matvec)
      this.matvec(
        l.rows.byteOffset,
        l.z.byteOffset,
        l.width,
        n,
        add.byteOffset + 4 * at,
        l.gates.byteOffset,
        l.gates.length,
      );
    else dot4(l.rows, l.z, l.width, n, add, at, l.gates as Float64Array);
  }

  /** The last layer's state h (a view). */
  private lastState(): Float32Array {
    const l = this.layers[this.layers.length - 1];
    return this.layers.length === 1 ? l.z : l.z.subarray(l.width - l.units);
  }

  /** Softmax over the dense output of the last layer's state, into `this.probs`. */
  predict(): Float32Array {
    const { w, probs, logits, denseRows } = this;
    const h = this.lastState();
    const n = h.length;
    let max = -Infinity;
    for (let j = 0; j < w.classes; j++) {
      let acc = w.denseBias[j];
      const r = j * n;
      for (let i = 0; i < n; i++) acc += denseRows[r + i] * h[i];
      logits[j] = acc;
      if (acc > max) max = acc;
    }
    let sum = 0;
    for (let j = 0; j < w.classes; j++) {
      const e = Math.exp(logits[j] - max);
      logits[j] = e;
      sum += e;
    }
    for (let j = 0; j < w.classes; j++) probs[j] = logits[j] / sum;
    return probs;
  }

  /** Next-key distribution after a window of keys, from the zero state (DeepLog's windowed prediction). */
  predictWindow(keys: ArrayLike<number>, from = 0, to = keys.length): Float32Array {
    const n = to - from;
    const p = n === this.window ? this.prefixes : undefined;
    let start = 0;
    if (p) {
      p.begin(keys, from);
      start = p.resume(keys, from, n, this.state);
    }
    if (start === 0) this.reset();
    else this.fresh = false;
    for (let i = start; i < n; i++) {
      this.step(keys[from + i]);
      if (p && i + 1 < n) p.store(keys, from, i + 1, this.state);
    }
    return this.predict();
  }

  /** Whether the gate products run in WebAssembly SIMD (else JS). */
  get simd(): boolean {
    return this.matvec !== undefined;
  }

  /** Windows resumed from a cached prefix state. */
  get prefixHits(): number {
    return this.prefixes?.hits ?? 0;
  }
}

/**
 * out[j] = add[at + j] + rows[j] · z[0..n) for every row (row stride `width`; the row count is a
 * multiple of 4, as 4·units is). Four rows at a time: each z[i] is loaded once for four independent
 * sums, which keeps the FP adds from waiting on each other (about 2x a plain dot loop in V8).
 */
function dot4(
  rows: Float32Array,
  z: Float32Array,
  width: number,
  n: number,
  add: Float32Array,
  at: number,
  out: Float64Array,
): void {
  for (let j = 0; j < out.length; j += 4) {
    let a0 = add[at + j];
    let a1 = add[at + j + 1];
    let a2 = add[at + j + 2];
    let a3 = add[at + j + 3];
    const r0 = j * width;
    const r1 = r0 + width;
    const r2 = r1 + width;
    const r3 = r2 + width;
    for (let i = 0; i < n; i++) {
      const x = z[i];
      a0 += rows[r0 + i] * x;
      a1 += rows[r1 + i] * x;
      a2 += rows[r2 + i] * x;
      a3 += rows[r3 + i] * x;
    }
    out[j] = a0;
    out[j + 1] = a1;
    out[j + 2] = a2;
    out[j + 3] = a3;
  }
}

/** 0-based rank of `key` in `probs` (how many keys are more probable). */
export function rankOf(probs: Float32Array, key: number): number {
  const p = probs[key];
  let rank = 0;
  for (let j = 0; j < probs.length; j++) if (probs[j] > p) rank++;
  return rank;
}
