import type { ModelConfig, ModelStatus, TrainingJob } from '@anomalog/shared';
import { RecordBuffer } from '../training/record-buffer';
import { sessionKeyFn, type SessionOf } from './session-key';
import type { ServiceModel } from '../model/service-model';

/** Marked-normal sessions a service keeps for its LSTM at most (the oldest go first). */
export const MAX_NORMAL_SESSIONS = 100;

/** Everything the lifecycle keeps about one service between batches. */
export class ServiceState {
  status: ModelStatus = 'learning';
  model: ServiceModel | undefined;
  activeVersion: number | undefined;
  recordsSeen = 0;
  anomalies = 0;
  readonly firstSeenMs: number;
  lastTrainMs = 0;
  /** recordsSeen at which a failed first training is tried again. */
  retryAtRecords = 0;
  job: TrainingJob | undefined;
  lastError: string | undefined;
  /** Restoring config, feedback and the active model from the store; records pass unscored meanwhile. */
  restoring: Promise<void> | undefined;
  /** Templates a user marked normal: never anomalous. */
  readonly normalTemplates = new Set<string>();
  /** Templates of anomalies a user marked normal: trained as common from the next training on. */
  readonly trainAsNormal = new Set<string>();
  /**
   * Sessions (template ids up to the marked record) of sequence anomalies a user marked normal, newest
   * last, at most MAX_NORMAL_SESSIONS: the LSTM is fine-tuned on them, also after every retraining.
   */
  readonly normalSessions: string[][] = [];

  buffer: RecordBuffer;
  /** Session id of a record under this service's session key. */
  sessionOf: SessionOf;
  private cfg: ModelConfig;

  constructor(
    readonly name: string,
    config: ModelConfig,
    nowMs: number,
  ) {
    this.firstSeenMs = nowMs;
    this.cfg = config;
    this.buffer = new RecordBuffer(config.learning.records);
    this.sessionOf = sessionKeyFn(config.sessionKey);
  }

  get config(): ModelConfig {
    return this.cfg;
  }

  set config(config: ModelConfig) {
    this.sessionOf = sessionKeyFn(config.sessionKey);
    this.cfg = config;
  }

  addNormalSession(templateIds: string[]): void {
    this.normalSessions.push(templateIds);
    if (this.normalSessions.length > MAX_NORMAL_SESSIONS) this.normalSessions.shift();
  }

  get training(): boolean {
    return this.job?.state === 'running' || this.job?.state === 'queued';
  }

  /** Learning is over once the first N records or T minutes have been seen (whichever comes first). */
  learningDone(nowMs: number): boolean {
    const l = this.config.learning;
    return this.recordsSeen >= l.records || nowMs - this.firstSeenMs >= l.minutes * 60_000;
  }

  learningProgress(nowMs: number): number {
    if (this.model) return 1;
    const l = this.config.learning;
    return Math.min(1, Math.max(this.recordsSeen / l.records, (nowMs - this.firstSeenMs) / (l.minutes * 60_000)));
  }

  retrainDue(nowMs: number): boolean {
    const every = this.config.learning.retrainEveryMinutes;
    return every > 0 && this.model !== undefined && nowMs - this.lastTrainMs >= every * 60_000;
  }
}
