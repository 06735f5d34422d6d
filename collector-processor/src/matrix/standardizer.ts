import type { Matrix } from './matrix';

/**
 * Column standardisation learnt on training rows: (x − mean) / std (std 1 for constant columns).
 * Record features mix units (rarity in decades, severity 1..24, log lengths), which distance-based
 * detectors (LOF, One-Class SVM) would otherwise weigh by their raw ranges.
 *
 * `pseudoRows` (default 0, scikit-learn's rule) adds that many rows one unit either side of each
 * column's mean to its variance: var = (Σ(x − mean)² + p) / (n + p); the mean does not move. Why:
 * with p = 0 a column that was rare in training (a feature that is 1 on one row in a thousand) gets
 * a tiny deviation, so that 1 becomes a 30σ jump, while a column that never moved (e.g. 'unseen
 * template', 0 on every training record) keeps unit scale and its 1 counts as 1σ: something never
 * seen weighs thirty times less than something seen once. With one pseudo-row both are rare events
 * of about the same weight (a never-moving column: σ = 1/√(n + 1)).
 */
export class Standardizer {
  private mean = new Float64Array(0);
  private scale = new Float64Array(0);

  constructor(readonly options: { pseudoRows?: number } = {}) {
    const p = options.pseudoRows ?? 0;
    if (!(p >= 0)) throw new Error('Standardizer: pseudoRows must be >= 0');
  }

  fit(m: Matrix): this {
    const pseudo = this.options.pseudoRows ?? 0;
    const { rows, cols, data } = m;
    this.mean = new Float64Array(cols);
    const sq = new Float64Array(cols);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const v = data[r * cols + c];
        this.mean[c] += v;
        sq[c] += v * v;
      }
    this.scale = new Float64Array(cols);
    for (let c = 0; c < cols; c++) {
      const mean = rows > 0 ? this.mean[c] / rows : 0;
      this.mean[c] = mean;
      const variance = rows > 0 ? Math.max(0, sq[c] / rows - mean * mean) : 0;
      const sd = pseudo > 0 ? Math.sqrt((variance * rows + pseudo) / (rows + pseudo)) : Math.sqrt(variance);
      // as scikit-learn (without pseudo-rows): a column constant in training keeps unit scale, so a
      // later deviation shows
      this.scale[c] = sd > 1e-12 ? 1 / sd : 1;
    }
    return this;
  }

  /** The learnt column means and inverse deviations (models store them to standardise the same way). */
  get params(): { mean: Float64Array; scale: Float64Array } {
    return { mean: this.mean, scale: this.scale };
  }

  static fromParams(mean: Float64Array, scale: Float64Array): Standardizer {
    if (mean.length !== scale.length) throw new Error('Standardizer: mean and scale lengths differ');
    const s = new Standardizer();
    s.mean = Float64Array.from(mean);
    s.scale = Float64Array.from(scale);
    return s;
  }

  transform(m: Matrix): Matrix {
    const { rows, cols, data } = m;
    if (cols !== this.mean.length) throw new Error(`Standardizer: fitted on ${this.mean.length} columns, got ${cols}`);
    const out = new Float64Array(data.length);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) out[r * cols + c] = (data[r * cols + c] - this.mean[c]) * this.scale[c];
    return { data: out, rows, cols };
  }
}
