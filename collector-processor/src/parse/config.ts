import type { Static } from '@sinclair/typebox';
import { ParserConfig, validateWithDefaults } from '@anomalog/shared';

export type MinerConfig = Static<typeof ParserConfig>;

/** The default parser config: the one used by the loghub benchmark for every system. */
export function defaultMinerConfig(overrides: Partial<MinerConfig> = {}): MinerConfig {
  const checked = validateWithDefaults(ParserConfig, overrides);
  if (!checked.ok) throw new Error(`parser config: ${checked.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
  return checked.value;
}
