/**
 * A session or window the group model flagged (group-model.ts), as a stored anomaly: the group's
 * id as its session id (`window:<ISO start>` for windows), the template of the group that weighs
 * most in the score as its template, the ranked templates with their counts as the explanation's features, and
 * one sentence saying what was unusual about the counts.
 */
import type { AnomalyDetail } from '@anomalog/shared';
import { UNSEEN_COLUMN } from '../features/counts';
import type { ContextRing } from './context-ring';
import type { GroupAnomaly } from './group-model';
import { rowId } from '../util/row-id';

/** `anomaly.detector` of a group verdict: the member's name and what it scored, e.g. `lof/window`. */
export function groupDetector(g: GroupAnomaly): string {
  return `${g.detector}/${g.kind}`;
}

export function groupAnomalyDetail(
  service: string,
  g: GroupAnomaly,
  ctx: ContextRing,
  textOf: (templateId: string) => string | undefined = () => undefined,
): AnomalyDetail {
  const id = g.key;
  // The anomaly's template: the weightiest known one the group holds (a missing template weighs too,
  // but filtering the anomalies by a template the group never had would not find them, and the unseen
  // column is no template a user can look up or suppress).
  const known = g.templates.filter((t) => t.templateId !== UNSEEN_COLUMN);
  const top = known.find((t) => t.count > 0) ?? known[0] ?? g.templates[0];
  const named = g.templates.map((t) => {
    const text = `"${textOf(t.templateId) ?? t.templateId}"`;
    return t.count > 0 ? `${text} ×${t.count}` : `no ${text}`;
  });
  const what = g.kind === 'window' ? `window from ${id.slice(7)}` : `session ${id}`;
  const reason =
    `unusual template counts in ${what} (${g.records} records, ${g.detector} score ${g.score.toFixed(3)})` +
    (named.length ? `: ${named.slice(0, 3).join(', ')}` : '');
  return {
    id: rowId(),
    time: new Date(g.lastMs).toISOString(),
    service,
    templateId: top?.templateId ?? '',
    template: top ? (textOf(top.templateId) ?? '') : '',
    message: `${what}: ${g.records} records between ${new Date(g.firstMs).toISOString()} and ${new Date(g.lastMs).toISOString()}`,
    score: g.score,
    detector: groupDetector(g),
    reason,
    sessionId: id,
    suppressed: false,
    attributes: {},
    context: g.kind === 'session' ? ctx.lines(g.key) : ctx.linesBetween(g.firstMs, g.lastMs),
    explanation: {
      reason: `${reason}. ${g.detail}`,
      features: g.templates.map((t) => ({ name: textOf(t.templateId) ?? t.templateId, weight: t.weight })),
      counts: g.deviations.map((d) => ({ ...d, template: textOf(d.templateId) ?? d.templateId })),
    },
  };
}
