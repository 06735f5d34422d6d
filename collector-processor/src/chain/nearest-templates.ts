/**
 * For an anomaly of a template never seen in training: the known templates of its service nearest to
 * it (token overlap), so a user can tell a reworded known line from something new. Worked out once
 * per unseen template and model (a storm of one new line costs one search), in a bounded cache.
 */
import type { NearTemplate } from '@anomalog/shared';

const SHOWN = 3;
/** Templates compared at most per search: a service with more keeps its most frequent ones. */
const MAX_COMPARED = 5000;
const MAX_CACHED = 1000;

export class NearestTemplates {
  private readonly cache = new WeakMap<object, Map<string, NearTemplate[]>>();

  /**
   * `known`: the model's training counts by template id (its identity keys the cache);
   * `textOf`: the miner's template text.
   */
  of(
    known: ReadonlyMap<string, number>,
    templateId: string,
    template: string,
    textOf: (templateId: string) => string | undefined,
  ): NearTemplate[] {
    let byTemplate = this.cache.get(known);
    if (!byTemplate) this.cache.set(known, (byTemplate = new Map()));
    const hit = byTemplate.get(templateId);
    if (hit) return hit;
    const found = search(known, template, textOf);
    if (byTemplate.size >= MAX_CACHED) byTemplate.delete(byTemplate.keys().next().value!);
    byTemplate.set(templateId, found);
    return found;
  }
}

function tokens(text: string): Set<string> {
  return new Set(text.split(/\s+/).filter((t) => t !== '' && t !== '<*>'));
}

function search(
  known: ReadonlyMap<string, number>,
  template: string,
  textOf: (templateId: string) => string | undefined,
): NearTemplate[] {
  const mine = tokens(template);
  let ids = [...known.keys()];
  if (ids.length > MAX_COMPARED) ids = ids.sort((a, b) => known.get(b)! - known.get(a)!).slice(0, MAX_COMPARED);
  const scored: NearTemplate[] = [];
  for (const id of ids) {
    const text = textOf(id);
    if (text === undefined) continue;
    const theirs = tokens(text);
    let shared = 0;
    for (const t of theirs) if (mine.has(t)) shared++;
    const union = mine.size + theirs.size - shared;
    const similarity = union > 0 ? shared / union : 0;
    if (similarity > 0) scored.push({ templateId: id, template: text, similarity });
  }
  return scored.sort((a, b) => b.similarity - a.similarity).slice(0, SHOWN);
}
