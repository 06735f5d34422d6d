import { Histogram, type HistogramConfiguration, type LabelValues } from 'prom-client';

/**
 * One label set of a SeriesHistogram: what prom-client keeps per label set, in a typed array.
 * `observe` is the whole per-observation cost: a bound search and three additions, no allocation.
 */
export class HistogramSeries {
  /** Observations per bucket (not cumulative), in the order of the histogram's bounds. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string | number>>,
    private readonly bounds: Float64Array,
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${String(value)}`);
    const bounds = this.bounds;
    // as prom-client: the first bound at or above the value; one above the last only +Inf counts
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        this.counts[i]++;
        break;
      }
    }
    // one value at a time, in order, as prom-client adds them: the same float sum
    this.sum += value;
    this.count++;
  }
}

interface PromValue {
  labels: Record<string, string | number>;
  sharedLabels: Readonly<Record<string, string | number>>;
  value: number;
  metricName: string;
  exemplar: null | undefined;
}

/** The prom-client internals this class reads (set by its Histogram constructor). */
interface HistogramInternals {
  name: string;
  upperBounds: number[];
  labelNames: string[];
  sortedLabelNames: string[];
  observe: unknown;
}

/**
 * A prom-client Histogram whose label sets live in HistogramSeries. prom-client's observe() checks
 * and hashes the label set, allocates, and turns the bucket bound into a property name on every
 * call: for the anomaly score histogram, one observation per scored record, that is a measurable
 * share of the scoring path's CPU. Here a caller takes a label set's series once (`series()`, e.g. per
 * batch) and observes on it; observe(labels, v) and labels(...).observe(v) go to the same series.
 * A scrape gives exactly what prom-client's Histogram gives for the same observations (/metrics
 * text, getMetricsAsJSON and so the OTLP push; test/telemetry/series-histogram.test.ts compares
 * them). No exemplars.
 */
export class SeriesHistogram<T extends string> extends Histogram<T> {
  private bySeries = new Map<string, HistogramSeries>();
  private readonly bounds: Float64Array;

  constructor(config: HistogramConfiguration<T>) {
    if (config.enableExemplars) throw new Error('SeriesHistogram does not support exemplars');
    super(config);
    const self = this as unknown as HistogramInternals;
    this.bounds = Float64Array.from(self.upperBounds);
    // prom-client's constructor sets observe on the instance, which would shadow a method here
    self.observe = (labels: LabelValues<T> | number, value?: number): void => {
      const v = typeof labels === 'number' ? labels : value!;
      // checked before the series is made: prom-client leaves no label set behind for a bad value
      if (!Number.isFinite(v)) throw new TypeError(`Value is not a valid number: ${String(v)}`);
      this.series(typeof labels === 'number' ? {} : (labels ?? {})).observe(v);
    };
  }

  /** The series of a label set, made on first use: hold it across many observations. */
  series(labels: LabelValues<T>): HistogramSeries {
    const self = this as unknown as HistogramInternals;
    for (const name in labels)
      if (!self.labelNames.includes(name))
        throw new Error(
          `Added label "${name}" is not included in initial labelset: [ '${self.labelNames.join("', '")}' ]`,
        );
    // prom-client's label-set identity: name:value of the defined labels, in sorted name order
    let key = '';
    for (const name of self.sortedLabelNames) {
      const v = labels[name as T];
      if (v !== undefined) key += `${name}:${v},`;
    }
    let s = this.bySeries.get(key);
    if (!s) this.bySeries.set(key, (s = new HistogramSeries(labels as Record<string, string | number>, this.bounds)));
    return s;
  }

  override labels(...args: [LabelValues<T>] | string[]): Histogram.Internal<T> {
    const labels = this.labelsOf(args);
    const s = this.series(labels);
    return {
      observe: (v: number) => s.observe(v),
      startTimer: () => this.startTimer(labels),
    };
  }

  override reset(): void {
    super.reset();
    this.bySeries = new Map();
  }

  override remove(...args: [LabelValues<T>] | string[]): void {
    super.remove(...(args as string[]));
    const labels = this.labelsOf(args);
    for (const [key, s] of this.bySeries) if (sameLabels(s.labels, labels)) this.bySeries.delete(key);
  }

  /** Removes every series whose `label` is `value`, whatever its other labels. */
  removeWhere(label: T, value: string): void {
    for (const [key, s] of this.bySeries) if (s.labels[label] === value) this.bySeries.delete(key);
  }

  /** A label object, or label values in labelNames order (as prom-client's labels() and remove()). */
  private labelsOf(args: [LabelValues<T>] | string[]): LabelValues<T> {
    if (typeof args[0] === 'object') return args[0];
    const names = (this as unknown as HistogramInternals).labelNames;
    if (args.length !== names.length)
      throw new Error(`Invalid number of arguments (${args.length}) for label names (${names.length})`);
    const labels: Record<string, string> = {};
    names.forEach((name, i) => (labels[name] = args[i] as string));
    return labels as LabelValues<T>;
  }

  /** prom-client's own label sets (none unless zero() was used) and then the series, in its format. */
  async getForPromString() {
    const base = (Histogram.prototype as unknown as { getForPromString(): Promise<{ values: PromValue[] }> })
      .getForPromString;
    const data = await base.call(this);
    const name = (this as unknown as HistogramInternals).name;
    const bounds = this.bounds;
    for (const s of this.bySeries.values()) {
      let acc = 0;
      for (let i = 0; i < bounds.length; i++) {
        acc += s.counts[i];
        data.values.push(value({ le: bounds[i] }, s.labels, acc, `${name}_bucket`, null));
      }
      data.values.push(
        value({ le: '+Inf' }, s.labels, s.count, `${name}_bucket`, null),
        value({}, s.labels, s.sum, `${name}_sum`, undefined),
        value({}, s.labels, s.count, `${name}_count`, undefined),
      );
    }
    return data;
  }
}

/** Key order as prom-client's setValuePair: the JSON of a scrape is the same. */
function value(
  labels: Record<string, string | number>,
  sharedLabels: Readonly<Record<string, string | number>>,
  v: number,
  metricName: string,
  exemplar: null | undefined,
): PromValue {
  return { labels, sharedLabels, value: v, metricName, exemplar };
}

function sameLabels(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => String(a[k]) === String(b[k]));
}
