import { IsolationForestDetector } from '../../src/detect/isolation-forest';
import { LofDetector } from '../../src/detect/lof';
import { OneClassSvmDetector } from '../../src/detect/one-class-svm';
import { Calibration } from '../../src/detect/calibration';
import { blob } from './blobs';

/** Flips random bytes past the header: loading must throw a named error or give a usable model. */
describe('corrupted model files', () => {
  const train = blob(200, 3, 61);
  const probe = blob(20, 3, 62);
  /** Loads the bytes and uses the result (scores a probe, or normalises a score). */
  const cases: [string, Uint8Array, (b: Uint8Array) => unknown][] = [];
  const iforest = new IsolationForestDetector({ trees: 10 });
  iforest.fit(train);
  cases.push(['isolation-forest', iforest.serialize(), (b) => IsolationForestDetector.load(b).score(probe)]);
  const lof = new LofDetector({ neighbors: 5 });
  lof.fit(train);
  cases.push(['lof', lof.serialize(), (b) => LofDetector.load(b).score(probe)]);
  const svm = new OneClassSvmDetector({ nu: 0.2 });
  svm.fit(train);
  cases.push(['one-class-svm', svm.serialize(), (b) => OneClassSvmDetector.load(b).score(probe)]);
  cases.push([
    'calibration',
    Calibration.fit(Float64Array.from([1, 2, 3]), { mode: 'fpr', value: 0.1 }).serialize(),
    (b) => Calibration.load(b).normalize(2),
  ]);

  it.each(cases)('%s: every corruption is refused by name or loads a model that runs', (name, bytes, load) => {
    let state = 7;
    const rand = (n: number): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % n;
    const headerLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    let refused = 0;
    for (let trial = 0; trial < 300; trial++) {
      const bad = bytes.slice();
      const at = trial % 3 === 0 ? rand(bytes.length) : 4 + headerLen + rand(bytes.length - 4 - headerLen);
      bad[at] ^= 1 << rand(8);
      try {
        load(bad);
      } catch (e) {
        expect((e as Error).message).toMatch(new RegExp(`^${name}: `));
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
