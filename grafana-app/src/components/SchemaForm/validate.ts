import { ModelConfig, validateWithDefaults } from '@anomalog/shared';
import { sessionKeyProblems } from './modelRules';

/**
 * Validates a model config with the shared schema, then the session-key rules; messages keyed by
 * JSON pointer for the form.
 */
export function validateModelConfig(value: unknown): Record<string, string> {
  const result = validateWithDefaults(ModelConfig, value);
  if (result.ok) {
    return sessionKeyProblems(value as Record<string, unknown>);
  }
  const byPath: Record<string, string> = {};
  for (const error of result.errors) {
    byPath[error.path] ??= error.message;
  }
  return byPath;
}
