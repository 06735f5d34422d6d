import { AutoencoderDetector } from '../../src/detect/autoencoder';
import { DenseKernel } from '../../src/detect/dense-kernel';
import { initTf, tf, useBackend, type TfBackendName } from '../../src/detect/tf-backend';
import { detectorFactory } from '../../src/detect/registry';
import type { Detector, Matrix } from '../../src/detect/detector';
import { gaussian, rocAuc, stack } from './blobs';

// This suite trains autoencoders (TF.js): slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(180_000);

/**
 * Rows on a 2-d plane inside 6-d space (features are mixtures of two latent factors plus small
 * noise): an autoencoder with a 2-unit bottleneck reconstructs them; a row off the plane it cannot.
 */
function plane(rows: number, seed: number): Matrix {
  const g = gaussian(seed);
  const cols = 6;
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const a = g();
    const b = g();
    const mix = [a, b, a + b, a - b, 0.5 * a + 2 * b, 2 * a - 0.5 * b];
    for (let c = 0; c < cols; c++) data[r * cols + c] = mix[c] + 0.05 * g();
  }
  return { data, rows, cols };
}

/** Plane rows with feature `feature` moved off the plane by `shift`. */
function offPlane(rows: number, seed: number, feature: number, shift = 4): Matrix {
  const m = plane(rows, seed);
  for (let r = 0; r < rows; r++) m.data[r * m.cols + feature] += shift;
  return m;
}

const FAST = { hidden: [8, 2], epochs: 60, patience: 5, batchSize: 32, learningRate: 0.01 };
const NAMES = ['a', 'b', 'a+b', 'a-b', 'mix1', 'mix2'];

describe('Autoencoder', () => {
  const train = plane(400, 1);
  const test = stack(plane(100, 2), offPlane(10, 3, 3));
  const labels = new Uint8Array(110).fill(1, 100);
  let det: AutoencoderDetector;

  beforeAll(async () => {
    await initTf(() => undefined);
    det = new AutoencoderDetector({ ...FAST, seed: 7 });
    await det.fit(train);
  }, 20_000);

  it('scores rows off the learnt manifold higher (ROC-AUC)', () => {
    const s = det.score(test);
    expect(rocAuc(s, labels)).toBeGreaterThan(0.98);
  });

  it('explains an outlier by the feature it is abnormal in', () => {
    const e = det.explain(test, 105, NAMES);
    expect(e.features?.[0]).toMatchObject({ index: 3, name: 'a-b' });
    expect(e.reason).toMatch(/worst reconstructed: a-b/);
  });

  it('kernel matches tfjs reconstruction within 1e-4', () => {
    const k = det.reconstruct(test);
    const t = det.predictTf(test);
    expect(k.length).toBe(t.length);
    for (let i = 0; i < k.length; i++) expect(Math.abs(k[i] - t[i])).toBeLessThan(1e-4);
  });

  it('round-trips through bytes to identical scores and rejects broken files', () => {
    const bytes = det.serialize();
    const back = AutoencoderDetector.load(bytes);
    expect(Array.from(back.score(test))).toEqual(Array.from(det.score(test)));
    expect(back.explain(test, 105, NAMES)).toEqual(det.explain(test, 105, NAMES));
    expect(() => AutoencoderDetector.load(bytes.subarray(0, bytes.length - 4))).toThrow(/autoencoder/);
    expect(() => AutoencoderDetector.load(new Uint8Array(4))).toThrow(/autoencoder/);
  });

  it('gives the same scores for the same seed, and leaves no tensors behind', async () => {
    const tensors = tf.memory().numTensors;
    const again = new AutoencoderDetector({ ...FAST, seed: 7 });
    await again.fit(train);
    again.predictTf(test);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(Array.from(again.score(test))).toEqual(Array.from(det.score(test)));
  }, 20_000);

  it('stops early on a plateau and keeps the best epoch', async () => {
    // Pure noise through a 1-unit bottleneck: nothing left to learn after a few epochs.
    const g = gaussian(9);
    const noise: Matrix = { data: Float64Array.from({ length: 200 * 4 }, g), rows: 200, cols: 4 };
    const a = new AutoencoderDetector({ hidden: [1], epochs: 500, patience: 3, learningRate: 0.01, seed: 3 });
    const r = await a.fit(noise);
    expect(r.stoppedEarly).toBe(1);
    expect(r.epochs).toBeLessThan(500);
    expect(r.bestEpoch).toBe(r.epochs - 3);
    expect(r.valRows).toBe(20);
  }, 20_000);

  it('trains to the same model on the cpu and wasm backends (float noise only)', async () => {
    const before = tf.getBackend() as TfBackendName;
    const scores: Float64Array[] = [];
    for (const b of ['cpu', 'wasm'] as const) {
      expect(await useBackend(b)).toBe(true);
      const d = new AutoencoderDetector({ ...FAST, epochs: 10, seed: 11 });
      await d.fit(train);
      scores.push(d.score(test));
    }
    await useBackend(before);
    for (let i = 0; i < test.rows; i++)
      expect(Math.abs(scores[0][i] - scores[1][i])).toBeLessThan(1e-4 * scores[0][i] + 1e-7);
  }, 20_000);

  it('is registered: create from config params, fit, load', async () => {
    const f = detectorFactory('autoencoder');
    expect(f.input).toBe('matrix');
    const create = f.create as (p: Record<string, unknown>, seed: number) => Detector<Matrix>;
    const d = create({ hidden: [4, 2], epochs: 5, patience: 2 }, 5) as AutoencoderDetector;
    expect(d.opts).toMatchObject({ hidden: [4, 2], epochs: 5, patience: 2, seed: 5 });
    await d.fit(train);
    const back = (f.load as (b: Uint8Array) => Detector<Matrix>)(d.serialize());
    expect(Array.from(back.score(test))).toEqual(Array.from(d.score(test)));
  }, 20_000);

  it('dense kernel rejects mismatched layers', () => {
    const l = (i: number, o: number) => ({
      kernel: new Float32Array(i * o),
      bias: new Float32Array(o),
      inDim: i,
      outDim: o,
      activation: 'linear' as const,
    });
    expect(() => new DenseKernel([l(3, 2), l(3, 1)])).toThrow(/mismatch/);
  });
});
