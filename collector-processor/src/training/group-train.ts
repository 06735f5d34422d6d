/**
 * Training a service's session/window model (group-model.ts) from its record buffer: the buffered
 * records grouped as the live path groups them — by session id under a trace/attribute/regex key,
 * else into fixed windows of `sessionKey.windowSeconds` of record time — then the count vectors of
 * those groups under the same tabular detectors, fitted and calibrated as the record members are.
 */
import type { ModelConfig } from '@anomalog/shared';
import { CountVectorizer } from '../features/counts';
import { COUNT_DEFAULTS } from '../features/tabular';
import { Vocabulary } from '../features/vocabulary';
import type { RecordBuffer } from './record-buffer';
import { GroupModel, windowStartMs, type GroupKind } from '../model/group-model';
import { fitMembers, MIN_SESSIONS } from './fit-members';
import { CountRanges } from '../model/count-ranges';
import { newTemplateChance, VOCABULARY_GROWING } from '../model/unseen-rule';
import type { TemplateFrequencies } from '../model/record-vector';

/**
 * The groups the buffer holds under the service's session key, as template-id sequences.
 * `sessions`: the buffer's sessions, when the caller has them already (training also fits the LSTM).
 */
export function bufferGroups(
  buffer: RecordBuffer,
  config: ModelConfig,
  sessions = () => buffer.sessions(),
): { kind: GroupKind; groups: string[][] } {
  if (config.sessionKey.kind !== 'window') return { kind: 'session', groups: sessions() };
  const windowMs = config.sessionKey.windowSeconds * 1000;
  const byWindow = new Map<number, string[]>();
  for (const r of buffer.rows()) {
    const start = windowStartMs(buffer.timeMs[r], windowMs);
    let seq = byWindow.get(start);
    if (!seq) byWindow.set(start, (seq = []));
    seq.push(buffer.templateIds[buffer.template[r]]);
  }
  return { kind: 'window', groups: [...byWindow.values()] };
}

/** Why no session/window model was trained, for the version's "not run live" note. */
export function groupsSkipped(config: ModelConfig): string[] {
  const what =
    config.sessionKey.kind === 'window' ? `windows of ${config.sessionKey.windowSeconds} s` : 'sessions (session key)';
  return [`session/window counts (fewer than ${MIN_SESSIONS} ${what} in the training records)`];
}

export async function trainGroupModel(
  buffer: RecordBuffer,
  config: ModelConfig,
  seed: number,
  maxOpen: number,
  sessions?: () => string[][],
): Promise<{ model: GroupModel; metrics: Record<string, number> } | undefined> {
  const { kind, groups } = bufferGroups(buffer, config, sessions);
  if (groups.length < MIN_SESSIONS) return undefined;
  const vocab = new Vocabulary();
  const seqs = groups.map((g) => Int32Array.from(g, (id) => vocab.add(id)));
  // New templates are not evidence by themselves where the groups' vocabulary was still growing
  // (model/unseen-rule.ts): their counts get no column, the record rule flags the severe ones.
  const unseenColumn = newTemplateChance(groupFrequencies(groups)) < VOCABULARY_GROWING;
  const counts = new CountVectorizer(vocab.size, { ...COUNT_DEFAULTS, unseenColumn }).fit(seqs);
  const { members, metrics } = await fitMembers(counts.transform(seqs), config, seed, undefined, `${kind}_`, 'groups');
  if (!members.length) return undefined;
  metrics[`${kind}_groups`] = groups.length;
  const bounds = {
    windowMs: config.sessionKey.windowSeconds * 1000,
    inactivityMs: config.sessionKey.inactivitySeconds * 1000,
    maxOpen,
  };
  return { model: new GroupModel(kind, vocab.list(), counts, members, bounds, rawRanges(counts, seqs)), metrics };
}

/** Each column's usual raw count over the training groups (what explanations compare with). */
function rawRanges(counts: CountVectorizer, seqs: readonly Int32Array[]): CountRanges {
  const rows = new Float64Array(seqs.length * counts.cols);
  seqs.forEach((seq, r) => counts.countRow(seq, rows, r * counts.cols));
  return CountRanges.fit(rows, counts.cols);
}

/** Template counts over the groups' records. */
function groupFrequencies(groups: readonly string[][]): TemplateFrequencies {
  const counts = new Map<string, number>();
  let total = 0;
  for (const g of groups)
    for (const id of g) {
      counts.set(id, (counts.get(id) ?? 0) + 1);
      total++;
    }
  return { counts, total };
}
