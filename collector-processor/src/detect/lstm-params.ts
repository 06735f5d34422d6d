/**
 * The LSTM's parameters as the live service and bench:detect create it: the configured ones with the
 * probability rule's cap at the detector's record rate (`threshold.records`). A record is flagged on
 * its own when its template's predicted probability there is under the rule's threshold; a model that
 * predicts well sees a template of probability p about p of the time, so the cap bounds how often a
 * normal record can alert, as the record rate does for the tabular detectors.
 */
import type { ModelConfig } from '@anomalog/shared';
import { LSTM_DEFAULTS } from './lstm';

export function lstmParams(settings: ModelConfig['detectors']['lstm']): Record<string, unknown> {
  return { ...settings.params, maxThreshold: Math.min(LSTM_DEFAULTS.maxThreshold, settings.threshold.records) };
}
