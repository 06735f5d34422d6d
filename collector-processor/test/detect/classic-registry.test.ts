import { detectorFactory } from '../../src/detect/registry';
import type { Detector, Matrix } from '../../src/detect/detector';
import { blob, outliers, stack } from './blobs';

describe('classic detectors in the registry', () => {
  const train = blob(300, 3, 51);
  const test = stack(blob(20, 3, 52), outliers(3, 3, 53, 0));

  it.each([
    ['isolation-forest', { trees: 20, sampleSize: 64 }],
    ['lof', { neighbors: 7 }],
    ['one-class-svm', { nu: 0.1, gamma: 'scale' }],
    ['one-class-svm', { nu: 0.2, gamma: 0.5 }],
  ] as const)('%s %j: create, fit, score, load', (name, params) => {
    const f = detectorFactory(name);
    expect(f.input).toBe('matrix');
    const det = (f.create as (p: Record<string, unknown>, seed: number) => Detector<Matrix>)({ ...params }, 5);
    expect(det.name).toBe(name);
    det.fit(train);
    const s = det.score(test);
    const mean = (a: Float64Array): number => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(s.subarray(20))).toBeGreaterThan(mean(s.subarray(0, 20)));
    const back = (f.load as (b: Uint8Array) => Detector<Matrix>)(det.serialize());
    expect(Array.from(back.score(test))).toEqual(Array.from(s));
    expect(() => (f.load as (b: Uint8Array) => Detector<Matrix>)(new Uint8Array(4))).toThrow(new RegExp(name));
  });
});
