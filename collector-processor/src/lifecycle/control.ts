import type { Feedback, ModelConfig, ModelVersion, ServiceSummary, TemplateInfo, TrainingJob } from '@anomalog/shared';

/**
 * What the HTTP API (and the CLI) may ask of the live models. Implemented by the lifecycle manager;
 * the API layer depends on this interface only, never on the manager's internals.
 */
export interface ModelControl {
  services(): ServiceSummary[];
  templates(service: string): TemplateInfo[];
  getConfig(service: string): Promise<ModelConfig>;
  /** Validated by the caller against the shared ModelConfig schema; applies from the next training. */
  setConfig(service: string, config: ModelConfig): Promise<ModelConfig>;
  /** Start (re)training now on the service's recent records; returns the job to follow. */
  train(service: string): TrainingJob;
  job(id: string): TrainingJob | undefined;
  versions(service: string): Promise<ModelVersion[]>;
  /** Roll back (or forward) to a stored version; it scores from the next record. */
  activate(service: string, version: number): Promise<ModelVersion | undefined>;
  /** Mark an anomaly or a template as normal: suppressed from now on and fed back to training. */
  feedback(feedback: Feedback): Promise<void>;
}

/**
 * What a ModelControl method throws when a request cannot be met; the HTTP API answers
 * unknown-service/unknown-version with 404, busy (a training already running) with 409, invalid with 400.
 */
export class ControlError extends Error {
  constructor(
    readonly kind: 'unknown-service' | 'unknown-version' | 'busy' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}
