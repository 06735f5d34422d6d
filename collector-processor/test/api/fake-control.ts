import {
  validateWithDefaults,
  ModelConfig,
  type Feedback,
  type ModelConfig as ModelConfigT,
  type ServiceSummary,
  type TemplateInfo,
  type TrainingJob,
} from '@anomalog/shared';
import { ControlError, type ModelControl } from '../../src/lifecycle/control';
import type { Store } from '../../src/store/store';

/**
 * A ModelControl double over a Store: services and templates are fixed, training finishes when the
 * test calls `finishTraining`, versions and configs go through the store as the lifecycle's would.
 */
export class FakeControl implements ModelControl {
  jobs = new Map<string, TrainingJob>();
  received: Feedback[] = [];
  private seq = 0;

  constructor(
    private readonly store: Store,
    readonly summaries: ServiceSummary[],
    readonly templateInfo: TemplateInfo[],
  ) {}

  services() {
    return this.summaries;
  }
  templates(service: string) {
    return this.templateInfo.filter((t) => t.service === service);
  }
  private known(service: string) {
    if (!this.summaries.some((s) => s.service === service))
      throw new ControlError('unknown-service', `unknown service "${service}"`);
  }
  async getConfig(service: string) {
    const stored = await this.store.getModelConfig(service);
    if (stored) return stored;
    const d = validateWithDefaults(ModelConfig, {});
    if (!d.ok) throw new Error('default model config invalid');
    return d.value;
  }
  async setConfig(service: string, config: ModelConfigT) {
    this.known(service);
    await this.store.putModelConfig(service, config);
    return config;
  }
  train(service: string): TrainingJob {
    this.known(service);
    for (const j of this.jobs.values())
      if (j.service === service && (j.state === 'running' || j.state === 'queued'))
        throw new ControlError('busy', `a training of "${service}" is already running (job ${j.id})`);
    const job: TrainingJob = { id: `job-${++this.seq}`, service, state: 'running', progress: 0.25 };
    this.jobs.set(job.id, job);
    return job;
  }
  async finishTraining(id: string) {
    const job = this.jobs.get(id)!;
    const now = new Date().toISOString();
    const saved = await this.store.saveModel({
      info: {
        version: 0,
        service: job.service,
        createdAt: now,
        trainedFrom: now,
        trainedTo: now,
        records: 1000,
        detectors: ['isolation-forest'],
        metrics: { fpr: 0.005 },
        active: true,
      },
      bytes: new Uint8Array([1]),
    });
    Object.assign(job, { state: 'done', progress: 1, version: saved.version });
  }
  job(id: string) {
    return this.jobs.get(id);
  }
  async versions(service: string) {
    this.known(service);
    return this.store.listModels(service);
  }
  async activate(service: string, version: number) {
    this.known(service);
    return this.store.activateModel(service, version);
  }
  async feedback(feedback: Feedback) {
    this.known(feedback.service);
    this.received.push(feedback);
    await this.store.insertFeedback({ ...feedback, time: new Date().toISOString() });
    await this.store.suppressAnomalies(
      feedback.kind === 'anomaly-normal'
        ? { id: feedback.anomalyId }
        : { service: feedback.service, templateId: feedback.templateId },
    );
  }
}
