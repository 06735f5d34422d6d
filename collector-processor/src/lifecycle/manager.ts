/**
 * The model lifecycle of every service: learning → training → scoring, retraining on a sliding
 * window, versions in the Store, rollback and feedback. Implements ModelControl for the API; the
 * detect stage asks it for each record's service state and reports what it saw.
 */
import type {
  AnomalyDetail,
  Feedback,
  ModelConfig,
  ModelVersion,
  ServiceSummary,
  TemplateInfo,
  TrainingJob,
} from '@anomalog/shared';
import type { AnomalyStore } from '../store/anomalies';
import type { FeedbackStore } from '../store/feedback';
import type { ModelStore } from '../store/models';
import type { Logger } from '../telemetry/logger';
import type { DetectionMetrics } from '../telemetry/detection-metrics';
import { ControlError, type ModelControl } from './control';
import type { ScoringLifecycle } from './scoring';
import { RecordBuffer } from '../training/record-buffer';
import { ServiceModel } from '../model/service-model';
import { MAX_NORMAL_SESSIONS, ServiceState } from './service-state';
import { sessionKeyFn } from './session-key';
import { trainInWorker, type FineTuneRequest, type TrainedBytes, type TrainRequest } from '../training/train-thread';
import type { FineTuneOptions } from '../training/finetune';

/** What the lifecycle keeps in the store: model configurations and versions, feedback, and the anomalies feedback names. */
export type LifecycleStore = ModelStore & FeedbackStore & Pick<AnomalyStore, 'getAnomaly' | 'suppressAnomalies'>;

export interface ManagerOptions {
  store: LifecycleStore;
  defaults: ModelConfig;
  logger: Logger;
  metrics?: DetectionMetrics;
  /** The miner's templates of a service (the parse stage owns them). */
  templatesOf: (service: string) => Omit<TemplateInfo, 'suppressed'>[];
  maxServices: number;
  /** Open sessions a service's live LSTM keeps at most. */
  maxOpenSessions?: number;
  seed?: number;
  now?: () => number;
  /** How feedback fine-tunes a service's LSTM (finetune.ts; defaults FINE_TUNE_DEFAULTS). */
  fineTune?: Partial<FineTuneOptions>;
}

const KEEP_JOBS = 200;

export class LifecycleManager implements ModelControl, ScoringLifecycle {
  private readonly states = new Map<string, ServiceState>();
  private readonly jobs = new Map<string, TrainingJob>();
  private jobSeq = 0;
  /** One training at a time: the event loop keeps serving the stream between detector fits. */
  private trainingChain: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly o: ManagerOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The service's state, created on its first record; undefined past maxServices (records pass unscored). */
  state(service: string): ServiceState | undefined {
    let s = this.states.get(service);
    if (s) return s;
    if (this.states.size >= this.o.maxServices) return undefined;
    s = new ServiceState(service, this.o.defaults, this.now());
    this.states.set(service, s);
    s.restoring = this.restore(s).finally(() => {
      s.restoring = undefined;
      this.maybeTrain(s);
    });
    return s;
  }

  /**
   * A record of a service went through the detect stage: count it and buffer it unless anomalous. Whether
   * training is due is checked by observed(), once per batch, not per record (a clock read each).
   */
  observe(
    s: ServiceState,
    templateId: string,
    severityNumber: number,
    sessionId: string | undefined,
    timeMs: number,
    tokens: number,
    anomalous: boolean,
  ): void {
    s.recordsSeen++;
    if (!anomalous) s.buffer.pushFields(templateId, severityNumber, tokens, timeMs, sessionId);
  }

  anomaliesFound(s: ServiceState, count: number): void {
    s.anomalies += count;
  }

  /** After a batch's records of `s` were observed: start its training when due. */
  observed(s: ServiceState): void {
    this.maybeTrain(s);
  }

  private maybeTrain(s: ServiceState): void {
    if (s.restoring || s.training) return;
    const now = this.now();
    const firstDue = !s.model && s.learningDone(now) && s.recordsSeen >= s.retryAtRecords;
    if (firstDue || s.retrainDue(now)) this.startTraining(s);
  }

  /** Wait for running trainings (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      await Promise.all([...this.states.values()].map((s) => s.restoring));
      const chain = this.trainingChain;
      await chain;
      if (chain === this.trainingChain && [...this.states.values()].every((s) => !s.restoring)) return;
    }
  }

  /**
   * Sessions the services' models hold open now (the sessions-open gauge): the LSTM's and the session
   * count model's track the same sessions, so a service counts the larger of the two.
   */
  openSessions(): number {
    let n = 0;
    for (const s of this.states.values()) {
      const groups = s.model?.groups?.kind === 'session' ? s.model.groups.openGroups : 0;
      n += Math.max(s.model?.sequence?.openSessions ?? 0, groups);
    }
    return n;
  }

  // ---- ModelControl ----

  services(): ServiceSummary[] {
    const now = this.now();
    return [...this.states.values()].map((s) => ({
      service: s.name,
      status: s.status,
      recordsSeen: s.recordsSeen,
      templates: this.o.templatesOf(s.name).length,
      anomalies: s.anomalies,
      activeVersion: s.activeVersion,
      learningProgress: s.learningProgress(now),
      lastError: s.lastError,
    }));
  }

  templates(service: string): TemplateInfo[] {
    const s = this.known(service);
    return this.o.templatesOf(service).map((t) => ({ ...t, suppressed: s.normalTemplates.has(t.templateId) }));
  }

  async getConfig(service: string): Promise<ModelConfig> {
    return this.states.get(service)?.config ?? (await this.o.store.getModelConfig(service)) ?? this.o.defaults;
  }

  async setConfig(service: string, config: ModelConfig): Promise<ModelConfig> {
    await this.seen(service);
    try {
      sessionKeyFn(config.sessionKey);
    } catch (err) {
      throw new ControlError('invalid', (err as Error).message);
    }
    await this.o.store.putModelConfig(service, config);
    const s = this.states.get(service);
    if (s) this.applyConfig(s, config);
    return config;
  }

  train(service: string): TrainingJob {
    const s = this.known(service);
    if (s.training) throw new ControlError('busy', `a training of "${service}" is already running (job ${s.job!.id})`);
    if (s.buffer.size === 0) throw new ControlError('invalid', `"${service}" has no records to train on yet`);
    return this.startTraining(s);
  }

  job(id: string): TrainingJob | undefined {
    return this.jobs.get(id);
  }

  async versions(service: string): Promise<ModelVersion[]> {
    this.known(service);
    return this.o.store.listModels(service);
  }

  async activate(service: string, version: number): Promise<ModelVersion | undefined> {
    const s = this.known(service);
    const stored = await this.o.store.loadModel(service, version);
    if (!stored) throw new ControlError('unknown-version', `"${service}" has no model version ${version}`);
    let model: ServiceModel;
    try {
      model = await ServiceModel.restore(stored.bytes, (m) => this.o.logger.info(m));
    } catch (err) {
      throw new ControlError(
        'invalid',
        `model version ${version} of "${service}" cannot be loaded: ${(err as Error).message}`,
      );
    }
    const info = await this.o.store.activateModel(service, version);
    this.install(s, model, version);
    this.o.logger.info({ service, version }, 'model version activated');
    return info;
  }

  async feedback(f: Feedback): Promise<void> {
    await this.seen(f.service);
    const s = this.states.get(f.service);
    if (f.kind === 'anomaly-normal' && f.anomalyId) {
      const stored = await this.o.store.getAnomaly(f.anomalyId);
      if (!stored || stored.service !== f.service)
        throw new ControlError('unknown-service', `service "${f.service}" has no anomaly "${f.anomalyId}"`);
    }
    await this.o.store.insertFeedback({ ...f, time: new Date(this.now()).toISOString() });
    if (f.kind === 'template-normal') {
      if (!f.templateId) throw new ControlError('invalid', 'template-normal feedback needs templateId');
      await this.o.store.suppressAnomalies({ service: f.service, templateId: f.templateId });
      if (s) this.markTemplateNormal(s, f.templateId);
      return;
    }
    if (!f.anomalyId) throw new ControlError('invalid', 'anomaly-normal feedback needs anomalyId');
    const anomaly = await this.o.store.getAnomaly(f.anomalyId);
    await this.o.store.suppressAnomalies({ id: f.anomalyId });
    if (!s || !anomaly) return;
    s.trainAsNormal.add(anomaly.templateId);
    // A record of a session the LSTM judged: fine-tune the LSTM on the session's templates up to and
    // including this record (its stored context: the session's lines before it), in the worker.
    if (anomaly.sessionId !== undefined && s.model?.sequence) {
      const session = sessionTemplates(anomaly);
      s.addNormalSession(session);
      this.startFineTune(s, [session], anomaly.id);
    }
  }

  // ---- internals ----

  /**
   * Throws unknown-service unless the service sent records (live, or before a restart: it has
   * templates, a stored configuration or model versions), so calls naming no real service store nothing.
   */
  private async seen(service: string): Promise<void> {
    if (this.states.has(service) || this.o.templatesOf(service).length > 0) return;
    if (await this.o.store.getModelConfig(service)) return;
    if ((await this.o.store.listModels(service)).length > 0) return;
    throw new ControlError('unknown-service', `unknown service "${service}" (no record of it seen yet)`);
  }

  private known(service: string): ServiceState {
    const s = this.states.get(service);
    if (!s) throw new ControlError('unknown-service', `unknown service "${service}" (no record of it seen yet)`);
    return s;
  }

  private applyConfig(s: ServiceState, config: ModelConfig): void {
    s.config = config;
    // The last `learning.records` records carry over into a buffer of the new size.
    if (config.learning.records !== s.buffer.capacity)
      s.buffer = RecordBuffer.fromSnapshot({ ...s.buffer.snapshot(), capacity: config.learning.records });
  }

  private markTemplateNormal(s: ServiceState, templateId: string): void {
    s.normalTemplates.add(templateId);
    s.trainAsNormal.add(templateId);
    if (s.model) s.model = s.model.withNormalTemplate(templateId);
  }

  private install(s: ServiceState, model: ServiceModel, version: number): void {
    for (const t of s.normalTemplates) if (!model.normalTemplates.has(t)) model = model.withNormalTemplate(t);
    // Sessions under way now are missing their start for this model's session counts, and the LSTM
    // takes their windows from the buffer.
    model.groups?.startAfter(s.buffer.sessionIds);
    model.sequence?.startAfter(s.buffer, s.config.sessionKey.inactivitySeconds * 1000);
    s.model = model;
    s.activeVersion = version;
    s.status = 'scoring';
  }

  /** Config, feedback and the active model of a service seen before (a restart, another replica). */
  private async restore(s: ServiceState): Promise<void> {
    const { store, logger } = this.o;
    try {
      const config = await store.getModelConfig(s.name);
      if (config) this.applyConfig(s, config);
      const marked: string[] = [];
      for (const f of await store.listFeedback(s.name)) {
        if (f.kind === 'template-normal' && f.templateId) s.normalTemplates.add(f.templateId);
        if (f.kind === 'anomaly-normal' && f.anomalyId) marked.push(f.anomalyId);
      }
      // sessions of sequence anomalies marked normal, for the LSTM's next trainings (the newest ones)
      for (const id of marked.slice(-MAX_NORMAL_SESSIONS)) {
        const a = await store.getAnomaly(id);
        if (a?.sessionId !== undefined) s.addNormalSession(sessionTemplates(a));
      }
      const active = await store.loadActiveModel(s.name);
      if (active) {
        this.install(s, await ServiceModel.restore(active.bytes, (m) => logger.info(m)), active.info.version);
        s.lastTrainMs = Date.parse(active.info.createdAt) || this.now();
        logger.info({ service: s.name, version: active.info.version }, 'restored the active model; scoring');
      }
    } catch (err) {
      s.lastError = `stored model not restored, learning again: ${(err as Error).message}`;
      logger.error({ service: s.name, err: (err as Error).message }, 'stored model not restored; learning again');
    }
  }

  private startTraining(s: ServiceState): TrainingJob {
    const job = this.enqueue(s, 'train', undefined, (j) => this.runJob(s, j, this.training(s)));
    if (!s.model) s.status = 'training';
    return job;
  }

  /** Queues a fine-tune of the active LSTM on sessions marked normal (after any training queued before). */
  private startFineTune(s: ServiceState, sessions: string[][], anomalyId: string): TrainingJob {
    const message = `fine-tune the LSTM on the session of anomaly ${anomalyId}`;
    return this.enqueue(s, 'finetune', message, (j) => this.runJob(s, j, this.fineTune(s, sessions)));
  }

  /** A job of the service, kept among the newest KEEP_JOBS, run after the trainings queued before it. */
  private enqueue(
    s: ServiceState,
    kind: string,
    message: string | undefined,
    run: (job: TrainingJob) => Promise<void>,
  ): TrainingJob {
    const job: TrainingJob = { id: `${kind}-${++this.jobSeq}`, service: s.name, state: 'queued', progress: 0 };
    if (message !== undefined) job.message = message;
    this.jobs.set(job.id, job);
    if (this.jobs.size > KEEP_JOBS) this.jobs.delete(this.jobs.keys().next().value as string);
    s.job = job;
    this.trainingChain = this.trainingChain.then(() => run(job));
    return job;
  }

  /**
   * Runs one job: trains in the worker thread, stores the result as the new active version and
   * installs it; on failure the job says why and the active model stays.
   */
  private async runJob(s: ServiceState, job: TrainingJob, run: JobRun): Promise<void> {
    const { store, logger, metrics } = this.o;
    const t0 = performance.now();
    job.state = 'running';
    try {
      const result = await trainInWorker(run.request(), (p, message) =>
        Object.assign(job, { progress: 0.9 * p, message }),
      );
      run.check?.();
      const model = await ServiceModel.restore(result.bytes, (m) => logger.info(m));
      const now = new Date(this.now()).toISOString();
      const info = await store.saveModel({
        info: { version: 0, service: s.name, createdAt: now, active: true, ...(await run.trained(result, now)) },
        bytes: result.bytes,
      });
      this.install(s, model, info.version);
      run.installed?.();
      Object.assign(job, {
        state: 'done',
        progress: 1,
        version: info.version,
        message: run.message(result, info.version),
      });
      metrics?.trainingRuns.inc({ service: metrics.service(s.name), outcome: 'done' });
      logger.info({ service: s.name, version: info.version, ...run.logged(result) }, run.doneLog);
    } catch (err) {
      const message = (err as Error).message;
      run.failed?.(message);
      Object.assign(job, { state: 'failed', message });
      metrics?.trainingRuns.inc({ service: metrics.service(s.name), outcome: 'failed' });
      logger.error({ service: s.name, err: message }, run.failLog);
    } finally {
      metrics?.trainingDuration.observe({ service: metrics.service(s.name) }, (performance.now() - t0) / 1000);
    }
  }

  /** A training on the service's buffered records. */
  private training(s: ServiceState): JobRun {
    return {
      request: () => ({
        buffer: s.buffer.snapshot(),
        config: s.config,
        seed: this.o.seed ?? 42,
        normalTemplates: [...s.trainAsNormal],
        normalSessions: s.normalSessions.map((x) => [...x]),
        fineTune: this.o.fineTune,
        maxOpenSessions: this.o.maxOpenSessions ?? 100_000,
      }),
      trained: async (result) => ({
        trainedFrom: new Date(result.fromMs).toISOString(),
        trainedTo: new Date(result.toMs).toISOString(),
        records: result.records,
        detectors: result.detectors,
        metrics: result.metrics,
      }),
      installed: () => {
        s.lastTrainMs = this.now();
        s.lastError = undefined;
      },
      message: (result, version) =>
        `version ${version}${result.skipped.length ? `; not run live: ${result.skipped.join(', ')}` : ''}`,
      logged: (result) => ({ records: result.records, skipped: result.skipped }),
      doneLog: 'model trained',
      failed: (message) => {
        s.lastError = `training failed: ${message}`;
        if (!s.model) s.status = 'error';
        s.retryAtRecords = s.recordsSeen + s.config.learning.records;
      },
      failLog: 'model training failed; records keep passing unscored',
    };
  }

  /**
   * The active model with its LSTM fine-tuned (finetune.ts), stored as a new active version with the
   * base version's training range, records and detectors; the tabular members are unchanged.
   */
  private fineTune(s: ServiceState, sessions: string[][]): JobRun {
    const base = s.model;
    const baseVersion = s.activeVersion;
    return {
      request: () => {
        if (!base?.sequence || baseVersion === undefined) throw new Error('the active model has no LSTM');
        return {
          kind: 'finetune',
          model: base.serialize(),
          sessions,
          buffer: s.buffer.snapshot(),
          options: this.o.fineTune,
        };
      },
      check: () => {
        if (s.activeVersion !== baseVersion)
          throw new Error(`version ${s.activeVersion} became active meanwhile; fine-tune of ${baseVersion} dropped`);
      },
      trained: async (result, now) => {
        const prev = (await this.o.store.listModels(s.name)).find((v) => v.version === baseVersion);
        return {
          trainedFrom: prev?.trainedFrom ?? now,
          trainedTo: prev?.trainedTo ?? now,
          records: prev?.records ?? 0,
          detectors: prev?.detectors ?? result.detectors,
          metrics: { ...result.metrics, fine_tuned_from_version: baseVersion ?? -1 },
        };
      },
      message: (result, version) =>
        `version ${version}: version ${baseVersion} with its LSTM fine-tuned${result.skipped.length ? `; ${result.skipped.join('; ')}` : ''}`,
      logged: (result) => ({ from: baseVersion, metrics: result.metrics }),
      doneLog: 'LSTM fine-tuned on feedback',
      failLog: 'LSTM fine-tune on feedback failed; the active model stays',
    };
  }
}

/** What one kind of job trains, how it records the result, and what it says. */
interface JobRun {
  /** The worker's request; throws when the job cannot start. */
  request(): TrainRequest | FineTuneRequest;
  /** Throws when the trained result no longer applies. */
  check?(): void;
  /** The stored version's training range, records, detectors and metrics. */
  trained(
    result: TrainedBytes,
    now: string,
  ): Promise<Pick<ModelVersion, 'trainedFrom' | 'trainedTo' | 'records' | 'detectors' | 'metrics'>>;
  installed?(): void;
  message(result: TrainedBytes, version: number): string;
  logged(result: TrainedBytes): Record<string, unknown>;
  doneLog: string;
  failed?(message: string): void;
  failLog: string;
}

/** An anomaly's session as template ids: its stored context (the session's lines before it), then itself. */
function sessionTemplates(a: AnomalyDetail): string[] {
  return [...a.context.map((c) => c.templateId), a.templateId];
}
