import type { Matrix } from '../matrix/matrix';

/**
 * Session / window count vectors over the template vocabulary, as a row-major Matrix for the
 * tabular detectors. Width is fixed at construction (the vocabulary size at training); templates
 * outside it (new since training) add to one extra "unseen" column, so a session made of templates
 * the model never saw does not look empty.
 */
export interface CountOptions {
  /** Term weight: raw count, 1 + ln(count) (damps long repetitive sessions), or presence. */
  tf: 'count' | 'log' | 'binary';
  /** Multiply by smoothed inverse document frequency learnt in fit() (sklearn's smooth_idf). */
  idf: boolean;
  /** Row normalisation. */
  norm: 'l2' | 'none';
  /** Add the unseen-template column. */
  unseenColumn: boolean;
}

export const DEFAULT_COUNT_OPTIONS: CountOptions = { tf: 'count', idf: false, norm: 'none', unseenColumn: true };

/** The feature name of the count column for templates the vocabulary does not hold. */
export const UNSEEN_COLUMN = 'unseen templates';

export class CountVectorizer {
  readonly options: CountOptions;
  readonly cols: number;
  private idfWeights?: Float64Array;

  /** `width`: vocabulary size the detectors are trained on. */
  constructor(
    readonly width: number,
    options: Partial<CountOptions> = {},
  ) {
    this.options = { ...DEFAULT_COUNT_OPTIONS, ...options };
    this.cols = width + (this.options.unseenColumn ? 1 : 0);
  }

  /** Learn document frequencies (only used with idf); returns this for chaining. */
  fit(seqs: readonly Int32Array[]): this {
    if (!this.options.idf) return this;
    const df = new Float64Array(this.cols);
    const seen = new Int32Array(this.cols).fill(-1);
    for (let r = 0; r < seqs.length; r++) {
      const s = seqs[r];
      for (let i = 0; i < s.length; i++) {
        const c = this.column(s[i]);
        if (c >= 0 && seen[c] !== r) {
          seen[c] = r;
          df[c]++;
        }
      }
    }
    const n = seqs.length;
    this.idfWeights = df.map((d) => Math.log((1 + n) / (1 + d)) + 1);
    return this;
  }

  /** A fitted vectorizer from its saved parts (a model file): idf weights as fit() learnt them. */
  static restore(width: number, options: CountOptions, idf?: readonly number[]): CountVectorizer {
    const v = new CountVectorizer(width, options);
    if (v.options.idf) {
      if (!Array.isArray(idf) || idf.length !== v.cols || !idf.every(Number.isFinite))
        throw new Error(`count vectorizer: expected ${v.cols} idf weights`);
      v.idfWeights = Float64Array.from(idf);
    }
    return v;
  }

  get idf(): Float64Array | undefined {
    return this.idfWeights;
  }

  /** Column of a template index, or -1 when it has none (outside the width, no unseen column). */
  column(template: number): number {
    if (template >= 0 && template < this.width) return template;
    return this.options.unseenColumn ? this.width : -1;
  }

  transform(seqs: readonly Int32Array[]): Matrix {
    const { cols } = this;
    const data = new Float64Array(seqs.length * cols);
    for (let r = 0; r < seqs.length; r++) this.writeRow(seqs[r], data, r * cols);
    return { data, rows: seqs.length, cols };
  }

  /** One row into `out[offset…offset+cols)` (which must be zero): usable without allocating. */
  writeRow(seq: Int32Array, out: Float64Array, offset: number): void {
    this.countRow(seq, out, offset);
    this.weighRow(out, offset);
  }

  /** The raw counts of `seq`'s templates added into `out[offset…offset+cols)`, one per column. */
  countRow(seq: Int32Array, out: Float64Array, offset: number): void {
    for (let i = 0; i < seq.length; i++) {
      const c = this.column(seq[i]);
      if (c >= 0) out[offset + c]++;
    }
  }

  /** Raw counts already in `out[offset…offset+cols)` → term weight, idf and norm, in place. */
  weighRow(out: Float64Array, offset: number): void {
    const { cols, options } = this;
    const idf = options.idf ? this.idfWeights : undefined;
    if (options.idf && !idf) throw new Error('CountVectorizer: fit() before transform() when idf is on');
    let sq = 0;
    for (let c = 0; c < cols; c++) {
      let v = out[offset + c];
      if (v === 0) continue;
      if (options.tf === 'log') v = 1 + Math.log(v);
      else if (options.tf === 'binary') v = 1;
      if (idf) v *= idf[c];
      out[offset + c] = v;
      sq += v * v;
    }
    if (options.norm === 'l2' && sq > 0) {
      const inv = 1 / Math.sqrt(sq);
      for (let c = 0; c < cols; c++) out[offset + c] *= inv;
    }
  }

  featureNames(names: readonly string[]): string[] {
    const out = names.slice(0, this.width);
    while (out.length < this.width) out.push(`template ${out.length}`);
    if (this.options.unseenColumn) out.push(UNSEEN_COLUMN);
    return out;
  }
}
