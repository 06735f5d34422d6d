import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR, updateSection, type BenchCase } from './report';

/**
 * README's benchmark summary, rendered from the committed bench/results/*.json: each bench run
 * re-renders it (report.ts writeResults), and `npm run docs:bench` does so without measuring.
 * A row whose results file is missing is left out.
 */
type Row = readonly [what: string, figure: string, command: string];

function results(name: string): BenchCase[] {
  const file = join(RESULTS_DIR, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchCase[]) : [];
}

const num = (c: BenchCase | undefined, k: string): number => Number(c?.[k]);
const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const fixed = (v: number, digits: number): string => v.toFixed(digits);
const pick = (cases: BenchCase[], match: BenchCase): BenchCase | undefined =>
  cases.find((c) => Object.entries(match).every(([k, v]) => c[k] === v));

function throughputRows(): Row[] {
  const t = results('throughput');
  if (t.length === 0) return [];
  const at = (mode: string, load: string, batch = 512): BenchCase | undefined =>
    pick(t, { mode, load, batch_records: batch });
  /** p99 the processor adds: the case through it minus the same load sent straight to the sink. */
  const added = (mode: string, load: string, batch = 512): number => {
    const c = at(mode, load, batch);
    const sink = pick(t, {
      mode: 'direct-to-sink',
      load,
      batch_records: batch,
      target_records_per_s: c?.target_records_per_s ?? null,
    });
    return num(c, 'p99_ms') - num(sink, 'p99_ms');
  };
  const cmd = '`npm run bench:throughput`';
  const rows: Row[] = [];
  if (at('pass-through', 'max')) {
    rows.push([
      'OTLP pass-through, max rate',
      `${int(num(at('pass-through', 'max'), 'records_per_s'))} records/s`,
      cmd,
    ]);
    const target = num(at('pass-through', 'half-target'), 'target_records_per_s');
    rows.push([
      `p99 latency added at ${int(target)} records/s (pass-through)`,
      `${fixed(added('pass-through', 'half-target'), 1)} ms`,
      cmd,
    ]);
  }
  if (at('mining+if', 'max')) {
    const big = at('mining+if', 'max', 8192);
    rows.push([
      'Whole service, template mining + Isolation Forest, max rate',
      `${int(num(at('mining+if', 'max'), 'records_per_s'))} records/s in requests of 512 records, processor at ` +
        `${int(num(at('mining+if', 'max'), 'processor_cpu_pct'))} % of a core` +
        (big ? `; ${int(num(big, 'records_per_s'))} in requests of 8,192, a Collector's default batch` : ''),
      cmd,
    ]);
  }
  if (at('mining+lstm', 'max'))
    rows.push([
      'Whole service, template mining + LSTM on block sessions, max rate',
      `${int(num(at('mining+lstm', 'max'), 'records_per_s'))} records/s`,
      cmd,
    ]);
  if (at('mining+if', 'half-max') && at('mining+lstm', 'half-max'))
    rows.push([
      'p99 latency added at half the max rate: mining + Isolation Forest / mining + LSTM',
      `${fixed(added('mining+if', 'half-max'), 1)} / ${fixed(added('mining+lstm', 'half-max'), 1)} ms` +
        (at('mining+if', 'half-max', 8192)
          ? `; mining + Isolation Forest in requests of 8,192 records: ${fixed(added('mining+if', 'half-max', 8192), 1)} ms`
          : ''),
      cmd,
    ]);
  return rows;
}

function memoryRows(): Row[] {
  const [m] = results('memory');
  if (!m) return [];
  const cmd = '`npm run bench:memory`';
  return [
    [
      `RSS holding ${int(num(m, 'templates'))} templates and ${int(num(m, 'sessions_open'))} open sessions (heap capped as \`npm start\` runs it)`,
      `${int(num(m, 'rss_mb'))} MB after the pass, peak ${int(num(m, 'max_rss_mb'))} MB with the LSTM training worker`,
      cmd,
    ],
    [
      `Anomaly storm: every record a new template, ${int(num(m, 'templates'))} templates`,
      `${int(num(m, 'records_per_s'))} records/s, each stored with its context`,
      cmd,
    ],
  ];
}

function parsingRows(): Row[] {
  const p = results('parsing');
  const avg = pick(p, { dataset: 'average', set: 'loghub-2k' });
  const general = pick(p, { dataset: 'average', set: 'general' });
  const speed = pick(p, { dataset: 'HDFS-replay' });
  const cmd = '`npm run bench:parsing`';
  const rows: Row[] = [];
  const lowestOf = (set: string) =>
    Math.min(...p.filter((c) => c.set === set && c.dataset !== 'average').map((c) => num(c, 'group_accuracy')));
  if (avg)
    rows.push([
      'Template mining, loghub-2k average Group Accuracy (one config) / leave-one-system-out / Parsing Accuracy',
      `${fixed(num(avg, 'group_accuracy'), 3)}, lowest ${fixed(lowestOf('loghub-2k'), 3)} (Drain3: ${fixed(num(avg, 'drain3_group_accuracy'), 2)}) / ${fixed(num(avg, 'loso_group_accuracy'), 3)} / ${fixed(num(avg, 'parsing_accuracy'), 3)}`,
      cmd,
    ]);
  if (general)
    rows.push([
      'Template mining on hand-labelled formats not in loghub (never used for tuning): average Group Accuracy',
      `${fixed(num(general, 'group_accuracy'), 3)}, lowest ${fixed(lowestOf('general'), 3)}`,
      cmd,
    ]);
  if (speed)
    rows.push([
      `Template mining speed, ${int(num(speed, 'lines') / 1000)}k HDFS lines`,
      `${int(num(speed, 'lines_per_s'))} lines/s, one core, median of ${int(num(speed, 'runs'))} passes; ${fixed(num(speed, 'lines_per_s_ratio'), 2)}× the miner of ${String(speed.baseline_commit)} measured alternately in the same run`,
      cmd,
    ]);
  return rows;
}

const AUC_NAMES: Record<string, string> = {
  'isolation-forest': 'IF',
  'one-class-svm': 'OC-SVM',
  lof: 'LOF',
  autoencoder: 'Autoencoder',
};
const CLASSIC = ['isolation-forest', 'one-class-svm', 'lof'];

function aucs(cases: BenchCase[], detectors: readonly string[]): string {
  return detectors
    .map((d) => pick(cases, { detector: d }))
    .filter((c): c is BenchCase => c !== undefined)
    .map((c) => `${AUC_NAMES[String(c.detector)]} ${fixed(num(c, 'roc_auc'), 3)}`)
    .join(', ');
}

function detectRows(): Row[] {
  const rows: Row[] = [];
  const deeplog = offline('detect-hdfs-deeplog');
  const cmdDeeplog = '`npm run bench:detect -- --dataset hdfs-deeplog`';
  if (deeplog.length > 0) {
    rows.push(['hdfs-deeplog, classic detectors on count vectors: ROC-AUC', aucs(deeplog, CLASSIC), cmdDeeplog]);
    const best = deeplog
      .filter((c) => CLASSIC.includes(String(c.detector)))
      .reduce((a, b) => (num(b, 'f1') > num(a, 'f1') ? b : a));
    rows.push([
      `hdfs-deeplog, best classic detector (${AUC_NAMES[String(best.detector)]}): estimated F1`,
      fixed(num(best, 'f1'), 3),
      cmdDeeplog,
    ]);
    const ae = pick(deeplog, { detector: 'autoencoder' });
    if (ae) rows.push(['hdfs-deeplog, Autoencoder: ROC-AUC', fixed(num(ae, 'roc_auc'), 3), cmdDeeplog]);
  }
  rows.push(...lstmRows());
  const bgl = offline('detect-bgl-2k');
  if (bgl.length > 0) {
    // lines are decided with the unseen-template rule beside the member: anomaly.score is what ranks them
    const scoreAucs = [...CLASSIC, 'autoencoder']
      .map((d) => pick(bgl, { detector: d }))
      .filter((c): c is BenchCase => c !== undefined)
      .map(
        (c) =>
          `${AUC_NAMES[String(c.detector)]} ${fixed(num(c, 'score_roc_auc'), 3)} (raw ${fixed(num(c, 'roc_auc'), 3)})`,
      )
      .join(', ');
    rows.push([
      'bgl-2k, line level from raw lines (offline split, the live record vector and rules): ROC-AUC of anomaly.score (of the raw member score)',
      scoreAucs,
      '`npm run bench:detect -- --dataset bgl-2k`',
    ]);
    const l = pick(bgl, { detector: 'lstm' });
    if (l)
      rows.push([
        'bgl-2k, LSTM over the log in order: ROC-AUC / F1',
        `${fixed(num(l, 'roc_auc'), 3)} / ${fixed(num(l, 'f1'), 3)}`,
        '`npm run bench:detect -- --dataset bgl-2k --detector lstm`',
      ]);
  }
  const h100 = offline('detect-hdfs-100k');
  if (h100.length > 0) {
    const ceiling = Math.max(...h100.map((c) => num(c, 'ceiling_f1')).filter(Number.isFinite));
    const best = Math.max(...h100.map((c) => num(c, 'f1')));
    const atBest = h100.filter((c) => num(c, 'f1') === best).map((c) => AUC_NAMES[String(c.detector)] ?? c.detector);
    const sk = results('sklearn').filter((c) => c.dataset === 'hdfs-100k' && c.impl === 'sklearn');
    const skBest = sk.length > 0 ? Math.max(...sk.map((c) => num(c, 'f1'))) : NaN;
    rows.push([
      `hdfs-100k: F1 (ceiling of count vectors ${fixed(ceiling, 4)})`,
      `${fixed(best, 4)} (${atBest.join(', ')})` +
        (Number.isFinite(skBest) ? `; scikit-learn: ${fixed(skBest, 4)}` : ''),
      '`npm run bench:detect -- --dataset hdfs-100k`, `npm run bench:sklearn`',
    ]);
  }
  return rows;
}

/** A bench:detect result file's offline rows (the evaluate protocol; the live replay's rows have path "live"). */
function offline(name: string): BenchCase[] {
  return results(name).filter((c) => c.path !== 'live');
}

/** bench:detect --live: the default model replaying each raw log through the live chain. */
function liveRows(): Row[] {
  const rows: Row[] = [];
  for (const dataset of ['hdfs-20k-raw', 'bgl-2k']) {
    const live = results(`detect-${dataset}`).filter((c) => c.path === 'live' && c.detector === 'default');
    if (live.length === 0) continue;
    const figures = live
      .map(
        (c) =>
          `per ${String(c.unit)}: precision ${fixed(num(c, 'precision'), 3)}, recall ${fixed(num(c, 'recall'), 3)}, FPR ${fixed(num(c, 'fpr') * 100, 2)} %`,
      )
      .join('; ');
    rows.push([
      `${dataset} replayed through the live chain (default model; learns on the first ${int(num(live[0], 'train_records'))} lines, scores the rest)`,
      figures,
      `\`npm run bench:detect -- --live --dataset ${dataset}\``,
    ]);
  }
  return rows;
}

export function readmeTable(): string {
  const rows = [...throughputRows(), ...memoryRows(), ...parsingRows(), ...detectRows(), ...liveRows()];
  return ['| what | figure | command |', '| --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function updateReadmeTable(): void {
  updateSection('README.md', 'readme-bench', readmeTable());
}

if (require.main === module) updateReadmeTable();

/** bench:lstm: quality and fit time at the default parameters (time budget) and with every epoch. */
function lstmRows(): Row[] {
  const lstm = results('lstm');
  const small = pick(lstm, { case: 'small' });
  const def = pick(lstm, { case: 'default' });
  const full = pick(lstm, { case: 'full' });
  if (!small || !def || !full) return [];
  const cmd = '`npm run bench:lstm`';
  const verdicts = (c: BenchCase): string =>
    `${fixed(num(c, 'recall'), 4)} / ${fixed(num(c, 'fpr') * 100, 2)} % / ${fixed(num(c, 'f1'), 3)}`;
  const fit = (c: BenchCase): string => `${int(num(c, 'fit_s'))} s (${int(num(c, 'epochs'))} epochs)`;
  return [
    [
      'hdfs-deeplog, LSTM (DeepLog): recall / FPR / estimated F1',
      `default parameters (time budget) ${verdicts(def)}; every epoch ${verdicts(full)}`,
      cmd,
    ],
    [
      'hdfs-deeplog, LSTM streaming through the live sequence model',
      `${int(num(full, 'streaming_records_per_s'))} records/s, one core`,
      cmd,
    ],
    [
      `LSTM fit at the default parameters: ${int(num(small, 'train_records'))} / ${int(num(def, 'train_records'))} records; every epoch without the budget`,
      `${fit(small)} / ${fit(def)}; ${fit(full)}`,
      cmd,
    ],
  ];
}
