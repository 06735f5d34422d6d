/**
 * One service's trained model: the template frequencies of its training window, the scaler of its
 * record vectors and the tabular detectors fitted on the standardised vectors of that window, each
 * with its calibration (raw score → 0..1 and a threshold). Scores a service's records of a batch in
 * one matrix pass per detector.
 */
import { UNSEEN_DETECTOR, type DetectorName } from '@anomalog/shared';
import type { Matrix } from '../detect/detector';
import { matrixDetectorFactory } from '../detect/registry';
import { Calibration } from '../detect/calibration';
import { ALERT_SCORE, scoreOfDecades } from '../detect/score-scale';
import { initTf } from '../detect/tf-backend';
import { RowScoreCache } from './row-score-cache';
import { GroupModel, type GroupModelJson } from './group-model';
import { SequenceModel } from './sequence-model';
import { Standardizer } from '../matrix/standardizer';
import { newTemplateChance, unseenAlarms, unseenRuleScore, unseenTemplateScore } from './unseen-rule';
import { oneIn, RECORD_DIMS, RECORD_FEATURES, SEVERITY_SLOTS, type TemplateFrequencies } from './record-vector';

import type { ModelMember } from './member';

export type { ModelMember };

/** The verdict on one record; reused per record by the caller (no allocation per record). */
export interface Verdict {
  score: number;
  isAnomaly: boolean;
  detector: string;
  reason: string;
  /** Index of the member that decided (-1: the unseen-template rule). */
  member: number;
}

/** Threshold tail probability an unseen template is measured against when no member is enabled. */
const UNSEEN_TAIL = 0.005;
const FORMAT = 'anomalog-service-model/1';

/** Expected next templates kept with an LSTM anomaly (the sentence names the first three). */
const EXPECTED_SHOWN = 5;

export class ServiceModel {
  /**
   * The LSTM's top expected templates with their probabilities for the record decideSequence last
   * flagged (undefined when it flagged none): the anomaly's expected-versus-actual view.
   */
  lastExpected: { templateId: string; probability: number }[] | undefined;

  constructor(
    readonly freq: TemplateFrequencies,
    readonly members: readonly ModelMember[],
    /** Templates users marked as normal: never anomalous, whatever the detectors say. */
    readonly normalTemplates: ReadonlySet<string> = new Set(),
    /** DeepLog over the service's sessions, when the LSTM is enabled and sessions exist. */
    readonly sequence?: SequenceModel,
    /**
     * Standardises record vectors before the members see them (fitted on the training window,
     * features/tabular.ts). Models saved before it existed have none: their members take raw vectors.
     */
    readonly scaler?: Standardizer,
    /** The same tabular detectors over whole sessions' or time windows' template counts. */
    readonly groups?: GroupModel,
  ) {}

  /**
   * The LSTM's verdict on a session's record, merged into `v`: a template outside the top-g
   * predictions makes the record anomalous (unless a user marked the template normal).
   */
  decideSequence(
    sessionId: string,
    templateId: string,
    v: Verdict,
    textOf: (templateId: string) => string | undefined = () => undefined,
    timeMs = 0,
    idleMs = Infinity,
  ): string | undefined {
    const seq = this.sequence;
    if (!seq) return undefined;
    const r = seq.push(sessionId, templateId, timeMs, idleMs);
    let reason: string | undefined;
    this.lastExpected = undefined;
    if (r.anomalous && !r.unseen && !v.isAnomaly && !this.normalTemplates.has(templateId)) {
      const top = seq.expectedBefore(sessionId, EXPECTED_SHOWN);
      this.lastExpected = top;
      const expected = top
        .slice(0, 3)
        .map((e) => `"${textOf(e.templateId) ?? e.templateId}" (${e.probability.toFixed(2)})`)
        .join(', ');
      reason = `${seq.ruleReason(r)} in session ${sessionId}; expected ${expected}`;
      v.isAnomaly = true;
      v.detector = 'lstm';
      // the rule's margin over its flag: decades of probability, or ranks past the (capped) top-g
      const margin = seq.usesRanks ? Math.max(r.rank - seq.topG + 1, r.countSeverity) : r.severity;
      v.score = Math.max(v.score, scoreOfDecades(Math.max(margin, 1e-9)));
      v.member = -1;
      v.reason = reason;
    }
    seq.advance(sessionId, templateId);
    return reason;
  }

  /** Raw scores of every member for the rows of `m` (raw record vectors): member-major, `raw[k*rows + r]`. */
  scoreMatrix(m: Matrix): Float64Array {
    this.cache ??= new RowScoreCache(m.cols, this.members.length);
    return this.cache.scoreMatrix(m, this.scoreRows);
  }

  /** Exact repeats of a record vector are not scored again (row-score-cache.ts); built on first use. */
  private cache?: RowScoreCache;

  private readonly scoreRows = (m: Matrix): Float64Array => {
    const x = this.scaler ? this.scaler.transform(m) : m;
    const out = new Float64Array(this.members.length * m.rows);
    this.members.forEach((mem, k) => out.set(mem.detector.score(x), k * m.rows));
    return out;
  };

  /**
   * Combines the members' verdicts on row `r` into `v`: anomalous when any member's raw score is over
   * its cut; the score is the highest calibrated one (score-scale.ts: >= 0.5 exactly when that member
   * is over its cut), the detector the member with it. A template never seen in training is anomalous
   * by its own rule (model/unseen-rule.ts: always where the training vocabulary had settled, else at
   * WARN or above), scored by its rarity (unseenScore) or the members' score if higher; where the rule
   * does not fire it is not anomalous, its members' score held under the threshold (unseenTemplateScore).
   */
  decide(raw: Float64Array, rows: number, r: number, templateId: string, severityNumber: number, v: Verdict): void {
    if (this.normalTemplates.has(templateId)) {
      setVerdict(v, 0, false, 'feedback', 'template marked normal by a user', -1);
      return;
    }
    let best = -1;
    let score = 0;
    for (let k = 0; k < this.members.length; k++) {
      const s = this.members[k].calibration.score(raw[k * rows + r]) || 0; // a NaN raw score is no evidence
      if (best < 0 || s > score) {
        best = k;
        score = s;
      }
    }
    if (!this.freq.counts.has(templateId)) {
      const alarms = unseenAlarms(this.newTemplateChance(), severityNumber);
      const s = unseenTemplateScore(alarms, score, this.unseenScore(severityNumber));
      if (alarms) {
        setVerdict(v, s, true, UNSEEN_DETECTOR, `unseen template (${oneIn(this.freq, templateId)})`, -1);
        return;
      }
      score = s;
    }
    if (best < 0) {
      setVerdict(v, 0, false, 'none', 'no detector enabled', -1);
      return;
    }
    setVerdict(v, score, score >= ALERT_SCORE, this.members[best].name, '', best);
  }

  /**
   * The unseen-template rule's score of a record logged at `severityNumber` (unseenRuleScore), against
   * the members' threshold tail probability.
   */
  unseenScore(severityNumber: number): number {
    return unseenRuleScore(this.freq, this.newTemplateChance(), severityNumber, this.tail());
  }

  /** The members' threshold tail probability (the unseen rule's when none is enabled). */
  private tail(): number {
    return this.members[0]?.calibration.threshold.value || UNSEEN_TAIL;
  }

  /** Computed once: the frequencies are fixed for the model's life. */
  private chance?: number;

  private newTemplateChance(): number {
    return (this.chance ??= newTemplateChance(this.freq));
  }

  /** The sentence for an anomalous record (only built for anomalies, which are rare). */
  reason(m: Matrix, r: number, templateId: string, v: Verdict): string {
    if (v.member < 0) return v.reason;
    const mem = this.members[v.member];
    const row = { data: m.data.slice(r * m.cols, (r + 1) * m.cols), rows: 1, cols: m.cols };
    const ex = mem.detector.explain(this.scaler ? this.scaler.transform(row) : row, 0, RECORD_FEATURES);
    const top = ex.features?.[0];
    if (top && top.index === 0) return `rare template (${oneIn(this.freq, templateId)})`;
    const what = top ? `unusual ${RECORD_FEATURES[top.index] ?? 'features'}` : ex.reason;
    return `${mem.name} score ${v.score.toFixed(3)} above its ${1 - mem.calibration.threshold.value} quantile: ${what}`;
  }

  serialize(): Uint8Array {
    const header = {
      format: FORMAT,
      dims: RECORD_DIMS,
      total: this.freq.total,
      counts: [...this.freq.counts],
      severities: this.freq.severities,
      normalTemplates: [...this.normalTemplates],
      sequence: this.sequence?.toJSON(),
      groups: this.groups?.toJSON(),
      scaler: this.scaler
        ? { mean: Array.from(this.scaler.params.mean), scale: Array.from(this.scaler.params.scale) }
        : undefined,
      members: this.members.map((m) => ({
        name: m.name,
        calibration: Buffer.from(m.calibration.serialize()).toString('base64'),
        bytes: Buffer.from(m.detector.serialize()).toString('base64'),
      })),
    };
    return new TextEncoder().encode(JSON.stringify(header));
  }

  /**
   * load() after the TensorFlow.js backend is ready (autoencoder and LSTM members score through it):
   * the one place the service initialises it for a stored or freshly trained model.
   */
  static async restore(bytes: Uint8Array, log: (message: string) => void): Promise<ServiceModel> {
    await initTf(log);
    return ServiceModel.load(bytes);
  }

  static load(bytes: Uint8Array): ServiceModel {
    let h: {
      format?: string;
      dims?: number;
      total?: number;
      counts?: [string, number][];
      severities?: number[];
      normalTemplates?: string[];
      members?: { name: DetectorName; calibration: string; bytes: string }[];
      sequence?: Parameters<typeof SequenceModel.fromJSON>[0];
      scaler?: { mean: number[]; scale: number[] };
      groups?: GroupModelJson;
    };
    try {
      h = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (e) {
      throw new Error(`service model file is not valid JSON (${(e as Error).message})`);
    }
    if (h?.format !== FORMAT) throw new Error(`not an ${FORMAT} file (found ${String(h?.format)})`);
    if (h.dims !== RECORD_DIMS) throw new Error(`service model has ${h.dims} features, this build uses ${RECORD_DIMS}`);
    if (!Array.isArray(h.counts) || !Array.isArray(h.members) || typeof h.total !== 'number')
      throw new Error('service model file lacks counts, total or members');
    const members = h.members.map((m) => ({
      name: m.name,
      detector: matrixDetectorFactory(m.name).load(Buffer.from(m.bytes, 'base64')),
      calibration: Calibration.load(Buffer.from(m.calibration, 'base64')),
    }));
    const sequence = h.sequence ? SequenceModel.fromJSON(h.sequence) : undefined;
    const groups = h.groups ? GroupModel.fromJSON(h.groups) : undefined;
    let scaler: Standardizer | undefined;
    if (h.scaler !== undefined) {
      const { mean, scale } = h.scaler;
      if (!Array.isArray(mean) || !Array.isArray(scale) || mean.length !== RECORD_DIMS || scale.length !== RECORD_DIMS)
        throw new Error('service model file has a broken scaler');
      scaler = Standardizer.fromParams(Float64Array.from(mean), Float64Array.from(scale));
    }
    const severities = h.severities;
    if (
      severities !== undefined &&
      !(Array.isArray(severities) && severities.length === SEVERITY_SLOTS && severities.every((c) => c >= 0))
    )
      throw new Error('service model file has a broken severity histogram');
    return new ServiceModel(
      { counts: new Map(h.counts), total: h.total, ...(severities ? { severities } : {}) },
      members,
      new Set(h.normalTemplates ?? []),
      sequence,
      scaler,
      groups,
    );
  }

  /** A copy that also treats `templateId` as normal (feedback applies before the next training). */
  withNormalTemplate(templateId: string): ServiceModel {
    return new ServiceModel(
      this.freq,
      this.members,
      new Set([...this.normalTemplates, templateId]),
      this.sequence,
      this.scaler,
      this.groups,
    );
  }
}

function setVerdict(v: Verdict, score: number, isAnomaly: boolean, detector: string, reason: string, member: number) {
  v.score = score;
  v.isAnomaly = isAnomaly;
  v.detector = detector;
  v.reason = reason;
  v.member = member;
}
