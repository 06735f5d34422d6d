/**
 * Per-record features for line-level detection: how rare the record's template is, whether it was
 * never seen, its severity, its size, and how many of its numeric parameters fall outside what that
 * template's parameter position usually holds. Statistics live in typed arrays indexed by template
 * column (see Vocabulary); `observe` learns, `write` scores against what was learnt so far, so a
 * stream can write-then-observe and a batch can observe-all-then-write with the same code.
 */

export const RECORD_FEATURE_NAMES = [
  'template rarity',
  'unseen template',
  'severity',
  'length',
  'tokens',
  'params out of range',
] as const;
export const RECORD_FEATURE_DIMS = RECORD_FEATURE_NAMES.length;

export interface RecordFeatureOptions {
  /** Usual range of a numeric parameter: training min..max, or mean ± zLimit standard deviations. */
  paramRange: 'minmax' | 'zscore';
  zLimit: number;
  /** Parameter positions tracked per template (later ones are ignored). */
  maxParams: number;
  /** Observations of a (template, position) before it can be out of range. */
  minSamples: number;
}

export const DEFAULT_RECORD_FEATURE_OPTIONS: RecordFeatureOptions = {
  paramRange: 'zscore',
  zLimit: 4,
  maxParams: 8,
  minSamples: 10,
};

export interface RecordFeatureInput {
  /** Template column (Vocabulary index); negative = unparsed, treated as unseen. */
  template: number;
  /** OTel severity number (0 unknown). */
  severityNumber: number;
  /** Message length in characters. */
  length: number;
  tokens: number;
  /** The template's variable parts (from the miner); numeric ones are range-checked. */
  params?: readonly string[];
}

/** Per (template, param position): count, mean, M2 (Welford), min, max. */
const STAT = 5;

export class RecordFeaturizer {
  readonly options: RecordFeatureOptions;
  private counts = new Float64Array(64);
  private stats: Float64Array;
  private total = 0;

  constructor(options: Partial<RecordFeatureOptions> = {}) {
    this.options = { ...DEFAULT_RECORD_FEATURE_OPTIONS, ...options };
    this.stats = new Float64Array(64 * this.options.maxParams * STAT);
  }

  /** Records observed so far. */
  get observed(): number {
    return this.total;
  }

  /** Learn from one record. */
  observe(rec: RecordFeatureInput): void {
    this.total++;
    const t = rec.template;
    if (t < 0) return;
    this.ensure(t);
    this.counts[t]++;
    const params = rec.params;
    if (!params) return;
    const P = this.options.maxParams;
    for (let p = 0, pos = 0; p < params.length && pos < P; p++, pos++) {
      const v = numeric(params[p]);
      if (Number.isNaN(v)) continue;
      const at = (t * P + pos) * STAT;
      const s = this.stats;
      const n = ++s[at];
      const d = v - s[at + 1];
      s[at + 1] += d / n;
      s[at + 2] += d * (v - s[at + 1]);
      if (n === 1 || v < s[at + 3]) s[at + 3] = v;
      if (n === 1 || v > s[at + 4]) s[at + 4] = v;
    }
  }

  /** Write the record's RECORD_FEATURE_DIMS features at `out[offset…]`. */
  write(rec: RecordFeatureInput, out: Float64Array, offset: number): void {
    const t = rec.template;
    const c = t >= 0 && t < this.counts.length ? this.counts[t] : 0;
    // -log10 of the smoothed frequency: 0 for a template that is every record, high for rare ones
    out[offset] = -Math.log10((c + 0.5) / (this.total + 1));
    out[offset + 1] = c === 0 ? 1 : 0;
    out[offset + 2] = rec.severityNumber;
    out[offset + 3] = Math.log2(1 + rec.length);
    out[offset + 4] = Math.log2(1 + rec.tokens);
    out[offset + 5] = c === 0 ? 0 : this.outOfRange(t, rec.params);
  }

  private outOfRange(t: number, params: readonly string[] | undefined): number {
    if (!params) return 0;
    const { maxParams: P, minSamples, paramRange, zLimit } = this.options;
    const s = this.stats;
    let out = 0;
    for (let pos = 0; pos < params.length && pos < P; pos++) {
      const v = numeric(params[pos]);
      const at = (t * P + pos) * STAT;
      const n = s[at];
      if (Number.isNaN(v) || n < minSamples) continue;
      if (paramRange === 'minmax') {
        if (v < s[at + 3] || v > s[at + 4]) out++;
      } else {
        const sd = Math.sqrt(s[at + 2] / n);
        // a constant position (sd 0) is out of range on any other value
        if (Math.abs(v - s[at + 1]) > zLimit * sd) out++;
      }
    }
    return out;
  }

  private ensure(t: number): void {
    if (t < this.counts.length) return;
    let cap = this.counts.length;
    while (cap <= t) cap *= 2;
    const counts = new Float64Array(cap);
    counts.set(this.counts);
    this.counts = counts;
    const stats = new Float64Array(cap * this.options.maxParams * STAT);
    stats.set(this.stats);
    this.stats = stats;
  }
}

/** A parameter as a number when it is one whole number ("42", "-3.5", "1e3"); NaN otherwise. */
function numeric(p: string): number {
  if (p.length === 0 || p.length > 32) return NaN;
  const c = p.charCodeAt(0);
  // cheap reject before Number(): must start with a digit, sign or dot
  if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46)) return NaN;
  return Number(p);
}

/** OTel severity number from a level word (loghub Level columns, syslog-ish names); 0 when unknown. */
export function severityFromText(level: string | undefined): number {
  switch ((level ?? '').trim().toUpperCase()) {
    case 'TRACE':
    case 'FINEST':
    case 'FINER':
      return 1;
    case 'DEBUG':
    case 'FINE':
    case 'D':
    case 'V':
      return 5;
    case 'INFO':
    case 'I':
    case 'NOTICE':
      return 9;
    case 'WARN':
    case 'WARNING':
    case 'W':
      return 13;
    case 'ERROR':
    case 'ERR':
    case 'E':
    case 'SEVERE':
    case 'FAILURE':
      return 17;
    case 'FATAL':
    case 'CRITICAL':
    case 'CRIT':
    case 'F':
    case 'EMERG':
    case 'ALERT':
      return 21;
    default:
      return 0;
  }
}
