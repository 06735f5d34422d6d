import { initTf, tf } from '../../src/detect/tf-backend';
import { evaluate, trainPairs, type TrainSettings } from '../../src/detect/lstm-train';
import type { WindowPairs } from '../../src/detect/lstm-windows';

// This suite trains LSTMs (TF.js): slower than the unit lane (`npm run test:unit` skips it).
jest.setTimeout(120_000);

const H = 3;
const VOCAB = 5;
const shape = { h: H, inputs: VOCAB + 1, classes: VOCAB };

/** 70 distinct (window, next) pairs with uneven counts, so slices weigh differently. */
function pairs(): WindowPairs {
  const n = 70;
  const x = new Int32Array(n * H);
  const y = new Int32Array(n);
  const count = new Float32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < H; j++) x[i * H + j] = (i * (j + 2) + j) % (VOCAB + 1);
    y[i] = (i * 3) % VOCAB;
    count[i] = 1 + (i % 7);
    total += count[i];
  }
  return { x, y, count, n, total };
}

function model(): tf.LayersModel {
  const m = tf.sequential();
  m.add(
    tf.layers.lstm({
      units: 6,
      inputShape: [H, VOCAB + 1],
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      recurrentInitializer: tf.initializers.glorotUniform({ seed: 4 }),
    }),
  );
  m.add(tf.layers.dense({ units: VOCAB, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }));
  return m;
}

const settings: TrainSettings = {
  epochs: 3,
  batchSize: 64,
  learningRate: 0.05,
  seed: 9,
  minSteps: 1,
  patience: 5,
  lrPatience: 2,
  budgetSeconds: Infinity,
};

async function trainedWeights(microBatch: number): Promise<Float32Array[]> {
  const m = model();
  await trainPairs(m, pairs(), undefined, { ...settings, microBatch }, shape);
  const w = m.getWeights().map((t) => Float32Array.from(t.dataSync() as Float32Array));
  m.dispose();
  return w;
}

describe('LSTM training loop', () => {
  beforeAll(() => initTf(() => undefined));

  it('sums slice gradients into the whole batch gradient: the same weights as one pass per batch', async () => {
    const whole = await trainedWeights(64);
    // unequal slices (24, 24, 16; the last batch 6): a slice weighted wrongly would show
    const sliced = await trainedWeights(24);
    const untrained = model()
      .getWeights()
      .map((t) => t.dataSync() as Float32Array);
    expect(sliced.length).toBe(whole.length);
    let moved = 0;
    whole.forEach((w, i) => {
      for (let j = 0; j < w.length; j++) {
        expect(sliced[i][j]).toBeCloseTo(w[j], 4);
        moved = Math.max(moved, Math.abs(w[j] - untrained[i][j]));
      }
    });
    // the comparison is between trained weights, not two copies of the initial ones
    expect(moved).toBeGreaterThan(0.01);
  });

  it('stops on its time budget as its clock reads it, however many steps it was asked for, and says so', async () => {
    const m = model();
    // a clock that moves one second per reading: t0 = 1 s, deadline 3.5 s, read after every step
    let ms = 0;
    const ticking = () => (ms += 1000);
    const asked = { ...settings, epochs: 1000, minSteps: 100_000, budgetSeconds: 2.5, clock: ticking };
    const r = await trainPairs(m, pairs(), undefined, asked, shape);
    // 70 pairs in batches of 64: two steps an epoch; the third step (epoch 2) reads 4 s and stops
    expect(r.budgetStopped).toBe(1);
    expect(r.epochs).toBe(2);
    expect(Number.isFinite(r.loss)).toBe(true);
    // the same budget on a clock that does not move: every asked epoch runs
    const still = () => 0;
    const unbounded = await trainPairs(
      m,
      pairs(),
      undefined,
      { ...settings, epochs: 4, budgetSeconds: 0.001, clock: still },
      shape,
    );
    expect(unbounded.budgetStopped).toBe(0);
    expect(unbounded.epochs).toBe(4);
    m.dispose();
  });

  it('ends the epoch the budget stops in with its validation, and keeps the best weights', async () => {
    const m = model();
    let ms = 0;
    const seen: number[] = [];
    const asked = { ...settings, epochs: 50, patience: 50, budgetSeconds: 4.5, clock: () => (ms += 1000) };
    const r = await trainPairs(m, pairs(), pairs(), asked, shape, (_epoch, _loss, val) => seen.push(val));
    // steps read 2, 3 | 4, 5 | 6 > 5.5: the third epoch is cut after its first step and still validated
    expect(r.budgetStopped).toBe(1);
    expect(r.epochs).toBe(3);
    expect(seen).toHaveLength(3);
    expect(r.valLoss).toBe(Math.min(...seen));
    // the model left behind is the best epoch's, not the cut one's
    expect(evaluate(m, pairs(), shape)).toBeCloseTo(r.valLoss, 5);
    m.dispose();
  });

  it('does not leave tensors behind across steps', async () => {
    const m = model();
    await trainPairs(m, pairs(), undefined, { ...settings, microBatch: 16 }, shape);
    const before = tf.memory().numTensors;
    await trainPairs(m, pairs(), undefined, { ...settings, microBatch: 16 }, shape);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
