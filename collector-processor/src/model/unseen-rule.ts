/**
 * When a template no training record had is an alarm by itself (the unseen-template rule). The
 * chance that the next record is of a template the training window never showed is estimated the
 * Good-Turing way: templates seen exactly once in the window, over the window's records. A window
 * whose vocabulary was still growing (that chance at or above VOCABULARY_GROWING) makes a new template
 * an expected event, not a rare one: there it is an alarm only when it is logged at WARN or above, and
 * otherwise not, whatever the detectors make of its record vector (a model that extrapolates, the
 * autoencoder, would flag new templates for token counts no training template had). A window whose
 * vocabulary had settled flags every new template, whatever its severity. An alarm scores the chance of
 * a new template in decades past the threshold's tail, and more for a severity the window rarely logged.
 * One rule for the live service (model/service-model.ts) and the benchmarks (evaluate/run.ts).
 */
import { scoreOfDecades } from '../detect/score-scale';
import type { TemplateFrequencies } from './record-vector';

/**
 * New templates in one record of 200 or more: the shared default threshold's false-positive rate
 * (threshold.value), the share of normal records or sessions a detector may flag. A window that met
 * new templates faster than that would alarm on normal traffic above that rate if each were flagged.
 */
export const VOCABULARY_GROWING = 0.005;

/** OTel SeverityNumber of WARN: the lowest severity at which a new template alarms in a growing vocabulary. */
export const UNSEEN_MIN_SEVERITY = 13;

/** Good-Turing estimate of the chance that a record is of a template the window never had (at least one in total + 1). */
export function newTemplateChance(freq: TemplateFrequencies): number {
  let once = 0;
  for (const c of freq.counts.values()) if (c === 1) once++;
  return Math.max(once, 1) / (freq.total + 1);
}

/** Whether a record of an unseen template alarms by the rule: always in a settled vocabulary, else at WARN or above. */
export function unseenAlarms(chance: number, severityNumber: number): boolean {
  return chance < VOCABULARY_GROWING || severityNumber >= UNSEEN_MIN_SEVERITY;
}

/** Decades of rarity an alarming unseen template is scored by: how far its chance is below `tail` (at least just over). */
function unseenDecades(chance: number, tail: number): number {
  return Math.max(1e-6, Math.log10(tail / chance));
}

/**
 * The smoothed share of training records logged at `severityNumber` or above (1 without a histogram):
 * a new template at a severity the window rarely logged is that much rarer again, so the rule's score
 * (unseenRuleScore) ranks a new FATAL template over a new INFO one instead of giving every new template
 * of a service the same score.
 */
export function severityShare(freq: TemplateFrequencies, severityNumber: number): number {
  const h = freq.severities;
  if (!h) return 1;
  let atOrAbove = 0;
  let all = 0;
  for (let s = 0; s < h.length; s++) {
    all += h[s];
    if (s >= severityNumber) atOrAbove += h[s];
  }
  return (atOrAbove + 0.5) / (all + 0.5);
}

/** The highest score of a record that is not flagged: at the threshold itself. */
const HELD_UNDER = scoreOfDecades(0);

/**
 * anomaly.score of a record of an unseen template, given the members' score: the rule's score, or the
 * members' if higher, when the rule alarms; else the members' score held under the threshold.
 */
export function unseenTemplateScore(alarms: boolean, membersScore: number, ruleScore: number): number {
  return alarms ? Math.max(ruleScore, membersScore) : Math.min(membersScore, HELD_UNDER);
}

/**
 * The rule's score of an alarming new template: the decades by which a new template's chance is past
 * the threshold's tail probability `tail` (at least just over: the rule alarms by policy where a new
 * template is not that rare), plus the decades by which its severity is rarer than the window's
 * (severityShare), as for the joint chance of a new template at that severity or above.
 */
export function unseenRuleScore(
  freq: TemplateFrequencies,
  chance: number,
  severityNumber: number,
  tail: number,
): number {
  return scoreOfDecades(unseenDecades(chance, tail) - Math.log10(severityShare(freq, severityNumber)));
}
