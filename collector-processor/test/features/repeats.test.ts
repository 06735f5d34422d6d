import { dampRepeats } from '../../src/features/repeats';
import { LofDetector } from '../../src/detect/lof';
import type { Matrix } from '../../src/detect/detector';

/** `copies[i]` copies of the 2-d point `points[i]`. */
function matrix(points: [number, number][], copies: number[]): Matrix {
  const rows: number[] = [];
  points.forEach((p, i) => {
    for (let k = 0; k < copies[i]; k++) rows.push(...p);
  });
  return { data: Float64Array.from(rows), rows: rows.length / 2, cols: 2 };
}

describe('dampRepeats', () => {
  test('keeps each distinct row round(1 + ln count) times, in order of first appearance', () => {
    const m: Matrix = { data: Float64Array.from([1, 1, 2, 2, 1, 1, 1, 1, 3, 3]), rows: 5, cols: 2 };
    // row (1,1) 3 times -> round(2.10) = 2; (2,2) and (3,3) once -> 1
    expect(Array.from(dampRepeats(m).data)).toEqual([1, 1, 1, 1, 2, 2, 3, 3]);
    const many = matrix([[0, 0]], [5000]);
    expect(dampRepeats(many).rows).toBe(Math.round(1 + Math.log(5000)));
  });

  test('a small normal cluster no longer outscores new points under LOF (k = 10)', () => {
    // a big dense pattern, a few spread ones, and a pattern seen 4 times; test: a copy of the small
    // cluster and a point far from everything
    const train = matrix(
      [
        [0, 0],
        [0.2, 0],
        [0, 0.2],
        [0.2, 0.2],
        [5, 5],
      ],
      [400, 300, 300, 200, 4],
    );
    const test = { data: Float64Array.from([5, 5, 15, -15]), rows: 2, cols: 2 };
    const raw = new LofDetector({ neighbors: 10 });
    raw.fit(train);
    const damped = new LofDetector({ neighbors: 10 });
    damped.fit(dampRepeats(train));
    const [clusterRaw, farRaw] = raw.score(test);
    const [cluster, far] = damped.score(test);
    // with 200+ copies per dense point their density is 1/1e-10: everything else looks extreme
    expect(clusterRaw).toBeGreaterThan(1e6);
    expect(farRaw).toBeGreaterThan(1e6);
    expect(cluster).toBeLessThan(far);
    expect(far).toBeLessThan(1e6);
  });
});
