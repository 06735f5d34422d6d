/**
 * Per-record feature vector the live tabular detectors score: how rare the record's template was
 * in training, its severity, and its token count. Template frequencies are frozen at training so a
 * burst of a rare template keeps scoring as rare until the next training sees it. Message length is
 * left out on purpose: it drifts with growing ids and counters (the demo's order ids went from 3 to 4
 * digits and LOF flagged a third of the records), while the token count of a template is stable.
 */
export const RECORD_FEATURES = ['template rarity', 'severity', 'tokens'] as const;
export const RECORD_DIMS = RECORD_FEATURES.length;

export interface TemplateFrequencies {
  readonly counts: ReadonlyMap<string, number>;
  readonly total: number;
  /**
   * Training records per OTel severity number (index 0-24), for how rare a new template's severity is
   * (unseen-rule.ts severityShare); absent in models saved before it was kept.
   */
  readonly severities?: readonly number[];
}

/** OTel SeverityNumber runs 1 (TRACE) to 24 (FATAL4); 0 is unspecified. */
export const SEVERITY_SLOTS = 25;

/** The severity histogram of `n` records, `severityAt(i)` each (out-of-range numbers count as 0). */
export function severityCounts(n: number, severityAt: (i: number) => number): number[] {
  const h = new Array<number>(SEVERITY_SLOTS).fill(0);
  for (let i = 0; i < n; i++) {
    const s = severityAt(i);
    h[s >= 0 && s < SEVERITY_SLOTS ? s | 0 : 0]++;
  }
  return h;
}

/**
 * -log10 of the smoothed training frequency: 0 for a template that is every record, high for rare
 * ones. A template no training record had is as rare as one seen once: whether its being new is an
 * alarm is the unseen-template rule's call (unseen-rule.ts), and a value past the training range
 * would make a model that extrapolates (the autoencoder) flag every new template whatever the rule
 * decided, while the forest and the neighbour models treat it as the rarest they know.
 */
export function rarity(freq: TemplateFrequencies, templateId: string): number {
  const c = freq.counts.get(templateId) ?? 1;
  return -Math.log10((c + 0.5) / (freq.total + 1));
}

/** Writes one record's vector at `out[offset…offset+RECORD_DIMS)`. */
export function writeRecordVector(
  out: Float64Array,
  offset: number,
  freq: TemplateFrequencies,
  templateId: string,
  severityNumber: number,
  tokens: number,
): void {
  out[offset] = rarity(freq, templateId);
  out[offset + 1] = severityNumber;
  out[offset + 2] = Math.log2(1 + tokens);
}

/**
 * One formatter, built at load: the first Intl use of the process loads locale data, which showed as a
 * 37 ms task on the stream (the first anomaly's reason) in the mining+if profile; start-up takes it now.
 */
const GROUPED = new Intl.NumberFormat('en-US');

/** "1 in 40,000": how often a template was seen in training, for reasons a human reads. */
export function oneIn(freq: TemplateFrequencies, templateId: string): string {
  const c = freq.counts.get(templateId) ?? 0;
  if (c === 0) return `never in ${GROUPED.format(freq.total)} training records`;
  return `1 in ${GROUPED.format(Math.round(freq.total / c))}`;
}
