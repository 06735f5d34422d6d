/**
 * Merging benchmark result files: several helpers (and runs) write rows of the same
 * bench/results/detect-NAME.json — the classic detectors, the LSTM, the autoencoder — so a run
 * replaces only the cases it measured, keyed by (dataset, detector, mode, unit: the live replay's line
 * and session rows of one run), and keeps every other row.
 */
import { ENSEMBLE_DETECTOR } from '@anomalog/shared';

export type CaseRow = Record<string, string | number | boolean | null>;

const ORDER: readonly string[] = ['isolation-forest', 'one-class-svm', 'lof', ENSEMBLE_DETECTOR, 'autoencoder', 'lstm'];

export function caseKey(c: CaseRow): string {
  return `${c.dataset}\u0000${c.detector}\u0000${c.mode}\u0000${c.unit ?? ''}`;
}

/** `previous` without the cases `fresh` re-measured, plus `fresh`; detectors in a stable order. */
export function mergeCases(previous: readonly CaseRow[], fresh: readonly CaseRow[]): CaseRow[] {
  const ran = new Set(fresh.map(caseKey));
  const rank = (c: CaseRow) => {
    const i = ORDER.indexOf(String(c.detector));
    return i < 0 ? ORDER.length : i;
  };
  // Array.prototype.sort is stable: rows of one detector keep their order (older modes first)
  return [...previous.filter((c) => !ran.has(caseKey(c))), ...fresh].sort((a, b) => rank(a) - rank(b));
}
