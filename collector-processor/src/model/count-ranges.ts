/**
 * The usual count of each template in a session or window, kept with a group model so a flagged
 * group can say which counts were out of their usual range (actual against typical) — what a person
 * can check against the logs, where the detectors' own scores weigh transformed counts. Ranges are
 * the mean and the 5th and 95th percentiles of each column's raw count over the training groups.
 */

export interface CountRangesJson {
  mean: number[];
  low: number[];
  high: number[];
}

/** One column outside its range in a group. */
export interface CountDeviationAt {
  column: number;
  actual: number;
  mean: number;
  low: number;
  high: number;
}

const LOW_QUANTILE = 0.05;
const HIGH_QUANTILE = 0.95;

export class CountRanges {
  private constructor(
    readonly mean: Float64Array,
    readonly low: Float64Array,
    readonly high: Float64Array,
  ) {}

  /** From raw count rows (row-major, `cols` per row). */
  static fit(rows: Float64Array, cols: number): CountRanges {
    const n = cols > 0 ? rows.length / cols : 0;
    const mean = new Float64Array(cols);
    const low = new Float64Array(cols);
    const high = new Float64Array(cols);
    const column = new Float64Array(n);
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let r = 0; r < n; r++) sum += column[r] = rows[r * cols + c];
      column.sort();
      mean[c] = n ? sum / n : 0;
      low[c] = n ? quantileOfSorted(column, LOW_QUANTILE) : 0;
      high[c] = n ? quantileOfSorted(column, HIGH_QUANTILE) : 0;
    }
    return new CountRanges(mean, low, high);
  }

  static fromJSON(j: CountRangesJson | undefined, cols: number): CountRanges | undefined {
    if (!j || ![j.mean, j.low, j.high].every((a) => Array.isArray(a) && a.length === cols)) return undefined;
    return new CountRanges(Float64Array.from(j.mean), Float64Array.from(j.low), Float64Array.from(j.high));
  }

  toJSON(): CountRangesJson {
    return { mean: Array.from(this.mean), low: Array.from(this.low), high: Array.from(this.high) };
  }

  /**
   * The columns of a group's raw `counts` outside their range, furthest out first (distance past the
   * range over the range's width, at least one count), at most `max`.
   */
  deviations(counts: Float64Array, max: number): CountDeviationAt[] {
    const out: (CountDeviationAt & { by: number })[] = [];
    for (let c = 0; c < counts.length && c < this.mean.length; c++) {
      const actual = counts[c];
      const past = actual > this.high[c] ? actual - this.high[c] : actual < this.low[c] ? this.low[c] - actual : 0;
      if (past === 0) continue;
      const by = past / Math.max(1, this.high[c] - this.low[c]);
      out.push({ column: c, actual, mean: this.mean[c], low: this.low[c], high: this.high[c], by });
    }
    out.sort((a, b) => b.by - a.by || a.column - b.column);
    return out.slice(0, max).map(({ by: _by, ...d }) => d);
  }
}

/** Linear interpolation between the closest ranks. */
function quantileOfSorted(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const i = Math.floor(at);
  const j = Math.min(sorted.length - 1, i + 1);
  return sorted[i] + (sorted[j] - sorted[i]) * (at - i);
}
