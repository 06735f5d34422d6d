/**
 * A model version's metrics (`<detector>_fit_s`, `<detector>_train_flagged`, as the processor's
 * training records them) as one line per detector: "isolation-forest: fit 0.016 s, flags 0.5 % of
 * training". Keys of another shape are listed as they come.
 */
export function describeMetrics(metrics: Record<string, number>): string[] {
  const byDetector = new Map<string, string[]>();
  const other: string[] = [];
  for (const [key, value] of Object.entries(metrics)) {
    const m = /^(.+)_(fit_s|train_flagged)$/.exec(key);
    if (!m) {
      other.push(`${key} ${Number.isInteger(value) ? value : value.toFixed(3)}`);
      continue;
    }
    const parts = byDetector.get(m[1]) ?? [];
    parts.push(m[2] === 'fit_s' ? `fit ${value.toFixed(3)} s` : `flags ${(value * 100).toFixed(1)} % of training`);
    byDetector.set(m[1], parts);
  }
  return [...[...byDetector].map(([detector, parts]) => `${detector}: ${parts.join(', ')}`), ...other];
}
