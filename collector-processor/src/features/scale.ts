import type { Matrix } from '../detect/detector';

/**
 * Column standardisation learnt on training rows: (x − mean) / std (std 1 for constant columns).
 * Record features mix units (rarity in decades, severity 1..24, log lengths), which distance-based
 * detectors (LOF, One-Class SVM) would otherwise weigh by their raw ranges.
 */
export class Standardizer {
  private mean = new Float64Array(0);
  private scale = new Float64Array(0);

  fit(m: Matrix): this {
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
      const sd = rows > 0 ? Math.sqrt(Math.max(0, sq[c] / rows - mean * mean)) : 0;
      // as scikit-learn: a column constant in training keeps unit scale, so a later deviation shows
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
