/**
 * Anomalog's side of the scikit-learn comparison: fits each classic detector (registry defaults,
 * the same as scikit-learn's: IF 100 trees x 256 rows, OC-SVM nu 0.5 gamma 'scale', LOF k = 20) on
 * DIR/NAME.train.csv written by features.ts, scores DIR/NAME.test.csv and writes
 * DIR/NAME.DETECTOR.anomalog.json = [{seed, fit_s, scores}]. Isolation Forest is random: it runs once
 * per seed in --seeds (default 0,1,2,3,4).
 * Usage: tsx bench/sklearn/score.ts --dir DIR [--dataset NAME] [--detector NAME] [--seeds 0,1,2]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectorFactory, type Detector, type Matrix } from '../../collector-processor/src';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function readMatrix(file: string): Matrix {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l);
  const cols = lines[0].split(',').length;
  const data = new Float64Array(lines.length * cols);
  lines.forEach((l, r) => l.split(',').forEach((v, c) => (data[r * cols + c] = Number(v))));
  return { data, rows: lines.length, cols };
}

const DETECTORS = ['isolation-forest', 'one-class-svm', 'lof'] as const;

function main(): void {
  const dir = arg('--dir') ?? 'bench/results/sklearn-features';
  const names: string[] = arg('--dataset')
    ? [arg('--dataset')!]
    : JSON.parse(readFileSync(join(dir, 'datasets.json'), 'utf8'));
  const detectors = arg('--detector') ? [arg('--detector') as (typeof DETECTORS)[number]] : [...DETECTORS];
  const seeds = (arg('--seeds') ?? '0,1,2,3,4').split(',').map(Number);
  for (const name of names) {
    const train = readMatrix(join(dir, `${name}.train.csv`));
    const test = readMatrix(join(dir, `${name}.test.csv`));
    for (const det of detectors) {
      const runs = [];
      for (const seed of det === 'isolation-forest' ? seeds : [0]) {
        const factory = detectorFactory(det);
        const d = (factory.create as (p: Record<string, unknown>, s: number) => Detector<Matrix>)({}, seed);
        const t0 = performance.now();
        const rep = d.fit(train);
        const fitS = (performance.now() - t0) / 1000;
        const t1 = performance.now();
        const scores = d.score(test);
        const scoreS = (performance.now() - t1) / 1000;
        runs.push({ seed, fit_s: fitS, score_s: scoreS, report: rep, scores: Array.from(scores) });
        console.error(
          `${name} ${det} seed ${seed}: fit ${fitS.toFixed(2)} s, score ${scoreS.toFixed(2)} s ${JSON.stringify(rep)}`,
        );
      }
      writeFileSync(join(dir, `${name}.${det}.anomalog.json`), JSON.stringify(runs));
    }
  }
}

main();
