/**
 * The one scale of `anomaly.score`, shared by every detector, so the ensemble, the UI and alert
 * rules can sort and filter by it whatever decided:
 *
 * - a row over its detector's threshold scores at least ALERT_SCORE (0.5), a row under it less:
 *   within one detector the score is monotone in the raw score and `score >= 0.5` is the flag;
 * - over the threshold, the score grows with how much rarer the row is than the threshold's own
 *   tail probability, counted in decades (factors of ten) and mapped by 1 - 0.5 / (1 + decades):
 *   0.75 at ten times rarer, 0.9 at 10^4 times, never 1, so it keeps ranking far beyond the largest
 *   training score instead of pinning there;
 * - under the threshold, the score is half the row's rank among the training scores (calibration.ts).
 *
 * Severity reads the same decades: minor within a factor of ten of the threshold (score 0.5-0.75),
 * major up to 10^4 times rarer (to 0.9), critical beyond: round scores for filters and alert rules.
 */

/** The score at which a row is flagged, for every detector. */
export const ALERT_SCORE = 0.5;

export type Severity = 'minor' | 'major' | 'critical';

/** Decades beyond the threshold where major and critical start. */
const MAJOR_DECADES = 1;
const CRITICAL_DECADES = 4;

/** Keeps a score at the threshold itself (0 decades, not flagged) just under ALERT_SCORE. */
const UNDER = 1 - 2 ** -40;

/**
 * Score of a row `decades` beyond its detector's threshold: > 0 flagged (>= ALERT_SCORE, < 1),
 * <= 0 not flagged (< ALERT_SCORE, > 0; for detectors that measure a margin under the threshold
 * in the same unit, e.g. the LSTM's probability rule).
 */
export function scoreOfDecades(decades: number): number {
  if (Number.isNaN(decades)) return NaN;
  if (decades > 0) return 1 - ALERT_SCORE / (1 + decades);
  return (ALERT_SCORE * UNDER) / (1 - decades);
}

/** Inverse of scoreOfDecades over the flagged half: decades beyond the threshold of a score >= 0.5. */
export function decadesOfScore(score: number): number {
  return score >= ALERT_SCORE ? ALERT_SCORE / (1 - score) - 1 : 0;
}

/** Score of a row under the threshold from its share of training scores (0..1) below it. */
export function scoreUnder(share: number): number {
  return ALERT_SCORE * UNDER * Math.min(1, Math.max(0, share));
}

/** Triage level of a flagged row's score; undefined for a score under the threshold. */
export function severityOf(score: number): Severity | undefined {
  if (!(score >= ALERT_SCORE)) return undefined;
  const d = decadesOfScore(score);
  return d >= CRITICAL_DECADES ? 'critical' : d >= MAJOR_DECADES ? 'major' : 'minor';
}

/** Lowest score of each severity (for filters and docs). */
export const SEVERITY_SCORES: Readonly<Record<Severity, number>> = {
  minor: ALERT_SCORE,
  major: scoreOfDecades(MAJOR_DECADES),
  critical: scoreOfDecades(CRITICAL_DECADES),
};
