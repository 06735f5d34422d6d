/**
 * Scoring mined templates against hand-made labels, as the loghub benchmark does. Group Accuracy: a
 * line is right when the lines sharing its mined template are exactly those sharing its true one.
 * Parsing Accuracy: the mined template text equals the true one after normalising wildcards. The
 * labels are read only for scoring, never while mining.
 */
import { TemplateMiner } from '../parse/miner';
import type { MinerConfig } from '../parse/config';
import { messageOf } from '../parse/extract';
import { parseCsv } from './csv';

/** Lines of one system with their true templates (loghub's structured CSV: Content, EventTemplate). */
export interface LabelledLines {
  name: string;
  contents: string[];
  truth: string[];
}

export interface TemplateScore {
  group_accuracy: number;
  parsing_accuracy: number;
  templates_true: number;
  templates_mined: number;
}

const MESSAGE_FIELDS = ['message', 'msg', 'log', 'Message', 'MESSAGE', 'text'];

/** A structured CSV's Content and EventTemplate columns (rows of the wrong width are skipped). */
export function readLabelled(name: string, csvText: string): LabelledLines {
  const rows = parseCsv(csvText);
  const head = rows[0];
  const ci = head.indexOf('Content');
  const ti = head.indexOf('EventTemplate');
  if (ci < 0 || ti < 0) throw new Error(`${name}: no Content/EventTemplate column`);
  const data = rows.slice(1).filter((r) => r.length === head.length);
  return { name, contents: data.map((r) => r[ci]), truth: data.map((r) => r[ti]) };
}

/** Wildcards normalised: any token holding `<*>` becomes `<*>`, runs of `<*>` collapse to one. */
export function normaliseTemplate(t: string): string {
  return t
    .split(/\s+/)
    .filter(Boolean)
    .map((tok) => (tok.includes('<*>') ? '<*>' : tok))
    .filter((tok, i, all) => !(tok === '<*>' && all[i - 1] === '<*>'))
    .join(' ');
}

export function groupAccuracy(truth: readonly string[], mined: readonly string[]): number {
  const byTruth = new Map<string, number>();
  const byMined = new Map<string, number[]>();
  truth.forEach((t) => byTruth.set(t, (byTruth.get(t) ?? 0) + 1));
  mined.forEach((m, i) => {
    const lines = byMined.get(m);
    if (lines) lines.push(i);
    else byMined.set(m, [i]);
  });
  let right = 0;
  for (const lines of byMined.values()) {
    const t = truth[lines[0]];
    if (lines.every((i) => truth[i] === t) && byTruth.get(t) === lines.length) right += lines.length;
  }
  return right / truth.length;
}

/**
 * Mine the lines in order with one config (each a record body, so JSON lines give their message
 * field as the live service does) and score the final templates against the labels.
 */
export function scoreTemplates(set: LabelledLines, config: Partial<MinerConfig> = {}): TemplateScore {
  const miner = new TemplateMiner(config);
  const ids = set.contents.map((c) => miner.add(set.name, messageOf({ stringValue: c }, MESSAGE_FIELDS), 0).templateId);
  const finalText = new Map(miner.clusters().map((c) => [c.id, normaliseTemplate(miner.templateText(c.id)!)]));
  let pa = 0;
  ids.forEach((id, i) => {
    if (finalText.get(id) === normaliseTemplate(set.truth[i])) pa++;
  });
  return {
    group_accuracy: groupAccuracy(set.truth, ids),
    parsing_accuracy: pa / ids.length,
    templates_true: new Set(set.truth).size,
    templates_mined: new Set(ids).size,
  };
}
