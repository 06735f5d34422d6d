/**
 * Whole sessions and time windows of one service, scored live by their template counts: the
 * benchmark's session count vectors (features/counts.ts with COUNT_DEFAULTS) under the tabular
 * detectors trained on the groups of the service's training window (group-train.ts). A record is
 * scored on its own as it passes (service-model.ts); the group it belongs to is scored when it
 * closes — a session after `inactivitySeconds` of record time without a record (or at its size or
 * open-session bound), a window once a record's time passes its end — because only then are its
 * counts known. The records have gone downstream by then: a group anomaly is stored and counted,
 * not written onto records.
 */
import type { DetectorName } from '@anomalog/shared';
import { Calibration } from '../detect/calibration';
import type { Matrix } from '../detect/detector';
import { matrixDetectorFactory } from '../detect/registry';
import { CountVectorizer, type CountOptions } from '../features/counts';
import { SessionTracker, type ClosedSession } from '../features/sessions';
import type { ModelMember } from './member';
import { CountRanges, type CountRangesJson } from './count-ranges';
import { StartWindow } from './start-window';

export type GroupKind = 'session' | 'window';

export interface GroupBounds {
  /** Window length (kind 'window'). */
  windowMs: number;
  /** A session closes after this long (record time) without a record. */
  inactivityMs: number;
  /** Open sessions at most; the least recently active closes first. */
  maxOpen: number;
}

/** A closed group the members found anomalous. */
export interface GroupAnomaly {
  kind: GroupKind;
  /** The session id, or `window:<ISO start>`. */
  key: string;
  firstMs: number;
  lastMs: number;
  records: number;
  /** Highest calibrated member score (score-scale.ts: 0.5..1 for a flagged group). */
  score: number;
  /** The deciding member, e.g. `isolation-forest`. */
  detector: DetectorName;
  /** Templates ranked by their share in the deciding member's score, with the group's count of each. */
  templates: { templateId: string; count: number; weight: number }[];
  /** The deciding member's own sentence. */
  detail: string;
  /** Templates whose count lies outside its training range, furthest out first (none without ranges). */
  deviations: { templateId: string; actual: number; mean: number; low: number; high: number }[];
}

/** Count deviations an anomaly lists at most. */
const MAX_DEVIATIONS = 8;

/** A closed group: raw counts per column (the unseen column last). */
interface Closed {
  key: string;
  firstMs: number;
  lastMs: number;
  records: number;
  counts: Float64Array;
}

/** Start of the fixed window holding `timeMs` (the live model and its training group alike). */
export function windowStartMs(timeMs: number, windowMs: number): number {
  return Math.floor(timeMs / windowMs) * windowMs;
}

/** Sessions a flush (shutdown, a new model) closes are cut short, not finished: only these are scored. */
const SCORED_REASONS = new Set(['inactive', 'size', 'evicted']);

export class GroupModel {
  private readonly column = new Map<string, number>();
  /** Name of each count column for explanations: the template ids, then the unseen column's. */
  private readonly names: readonly string[];
  /** Open sessions (kind 'session'). */
  private tracker?: SessionTracker;
  /**
   * The open window (kind 'window'): fixed windows follow each other, so one is open at a time, and
   * it holds counts, not records, so a busy service's window costs the same as a quiet one's.
   */
  private window?: Closed & { startMs: number };
  private readonly closed: Closed[] = [];
  private clockMs = -Infinity;
  /**
   * The first record this model saw: the window it falls in is cut, not scored, and so are sessions
   * under way at it by time (when the buffer did not tell).
   */
  private readonly start = new StartWindow();
  /** Sessions that had records before this model scored (startAfter): cut, not scored when they close. */
  private openBefore?: Set<string>;

  constructor(
    readonly kind: GroupKind,
    /** Template id of each count column (the training groups' vocabulary). */
    readonly templateIds: readonly string[],
    readonly counts: CountVectorizer,
    readonly members: readonly ModelMember[],
    readonly bounds: GroupBounds,
    /** Each column's usual raw count (absent in a model saved before they were kept). */
    readonly ranges?: CountRanges,
  ) {
    templateIds.forEach((id, k) => this.column.set(id, k));
    this.names = counts.featureNames(templateIds);
  }

  /**
   * The sessions that already had records when this model starts scoring (the service's buffer at
   * install): when they close they are missing their start, and would look anomalous for it. Without
   * it (a model restored at start-up), sessions first seen within inactivitySeconds of the first
   * record are taken as cut instead; the window the first record falls in is always cut.
   */
  startAfter(sessionIds: Iterable<string | undefined>): void {
    const known = new Set<string>();
    for (const id of sessionIds) if (id !== undefined) known.add(id);
    // an empty buffer (the model restored at start-up) tells nothing: the time rule stays
    this.openBefore = known.size ? known : undefined;
  }

  get openGroups(): number {
    return this.tracker?.openCount ?? (this.window?.records ? 1 : 0);
  }

  /**
   * Adds one record to its group (its session, or the window of its time) and appends to `out` the
   * anomalous groups that closed meanwhile. Records of a session kind without a session id are not
   * in any group. Time is record time; the newest seen is the clock (older records still join).
   */
  observe(service: string, sessionId: string | undefined, templateId: string, timeMs: number, out: GroupAnomaly[]) {
    if (timeMs > this.clockMs) this.clockMs = timeMs;
    this.start.see(timeMs, this.bounds.inactivityMs);
    const template = this.column.get(templateId) ?? -1;
    if (this.kind === 'window') this.addToWindow(template, timeMs);
    else if (sessionId !== undefined)
      (this.tracker ??= this.newTracker()).addTo(sessionId, { service, template, timeMs }, this.clockMs);
    if (this.closed.length) this.judge(out);
  }

  /** Raw scores of every member for the raw count rows of `m` (weighed in place): member-major. */
  scoreCounts(m: Matrix): Float64Array {
    for (let r = 0; r < m.rows; r++) this.counts.weighRow(m.data, r * m.cols);
    const raw = new Float64Array(this.members.length * m.rows);
    this.members.forEach((mem, k) => raw.set(mem.detector.score(m), k * m.rows));
    return raw;
  }

  /**
   * A record of a later window closes the open one; a late record (an earlier window's) joins the
   * open window rather than reopening a scored one.
   */
  private addToWindow(template: number, timeMs: number): void {
    const startMs = windowStartMs(timeMs, this.bounds.windowMs);
    let w = this.window;
    if (w && startMs > w.startMs) {
      // the first window began before this model saw a record: cut short, not scored
      if (w.startMs >= this.start.startMs)
        this.closed.push({ ...w, key: `window:${new Date(w.startMs).toISOString()}`, counts: w.counts.slice() });
      w.startMs = startMs;
      w.records = 0;
      w.counts.fill(0);
      w.firstMs = w.lastMs = timeMs;
    }
    w ??= this.window = {
      key: '',
      startMs,
      records: 0,
      firstMs: timeMs,
      lastMs: timeMs,
      counts: new Float64Array(this.counts.cols),
    };
    const c = this.counts.column(template);
    if (c >= 0) w.counts[c]++;
    w.records++;
    if (timeMs < w.firstMs) w.firstMs = timeMs;
    if (timeMs > w.lastMs) w.lastMs = timeMs;
  }

  private newTracker(): SessionTracker {
    const { windowMs, inactivityMs, maxOpen } = this.bounds;
    const onClose = (s: ClosedSession) => {
      if (!SCORED_REASONS.has(s.reason) || this.startedBefore(s)) return;
      const counts = new Float64Array(this.counts.cols);
      this.counts.countRow(s.templates, counts, 0);
      this.closed.push({ key: s.key, firstMs: s.firstMs, lastMs: s.lastMs, records: s.templates.length, counts });
    };
    // Sessions come with their id (addTo): 'attribute' stands for any key kind here.
    return new SessionTracker({ kind: 'attribute', attribute: 'session', windowMs, inactivityMs, maxOpen }, onClose);
  }

  /** Whether the session had records before this model scored (see startAfter). */
  private startedBefore(s: ClosedSession): boolean {
    if (this.openBefore) return this.openBefore.delete(s.key);
    return this.start.mayHaveBegunBefore(s.firstMs);
  }

  /** Groups scored so far (closed and not cut). */
  scored = 0;

  private judge(out: GroupAnomaly[]): void {
    const groups = this.closed.splice(0);
    this.scored += groups.length;
    const cols = this.counts.cols;
    const m = { data: new Float64Array(groups.length * cols), rows: groups.length, cols };
    groups.forEach((g, r) => m.data.set(g.counts, r * cols));
    const raw = this.scoreCounts(m);
    groups.forEach((g, r) => {
      let best = -1;
      let score = 0;
      for (let k = 0; k < this.members.length; k++) {
        const cal = this.members[k].calibration;
        const x = raw[k * m.rows + r];
        if (!cal.isAnomalous(x)) continue;
        const s = cal.score(x);
        if (best < 0 || s > score) {
          best = k;
          score = s;
        }
      }
      if (best >= 0) out.push(this.anomaly(g, m, r, best, score));
    });
  }

  private anomaly(g: Closed, m: Matrix, r: number, member: number, score: number): GroupAnomaly {
    const names = this.names;
    const row = { data: m.data.slice(r * m.cols, (r + 1) * m.cols), rows: 1, cols: m.cols };
    const ex = this.members[member].detector.explain(row, 0, names);
    return {
      kind: this.kind,
      key: g.key,
      firstMs: g.firstMs,
      lastMs: g.lastMs,
      records: g.records,
      score,
      detector: this.members[member].name,
      templates: (ex.features ?? [])
        .filter((f) => f.weight > 0)
        .slice(0, 5)
        .map((f) => ({ templateId: names[f.index], count: g.counts[f.index], weight: f.weight })),
      detail: ex.reason,
      // g.counts are raw (the matrix row is the weighed copy).
      deviations: (this.ranges?.deviations(g.counts, MAX_DEVIATIONS) ?? []).map(({ column, ...d }) => ({
        templateId: names[column],
        ...d,
      })),
    };
  }

  toJSON(): GroupModelJson {
    return {
      kind: this.kind,
      templateIds: [...this.templateIds],
      counts: { options: this.counts.options, idf: this.counts.idf ? Array.from(this.counts.idf) : undefined },
      bounds: this.bounds,
      ranges: this.ranges?.toJSON(),
      members: this.members.map((m) => ({
        name: m.name,
        calibration: Buffer.from(m.calibration.serialize()).toString('base64'),
        bytes: Buffer.from(m.detector.serialize()).toString('base64'),
      })),
    };
  }

  static fromJSON(j: GroupModelJson): GroupModel {
    if (
      (j?.kind !== 'session' && j?.kind !== 'window') ||
      !Array.isArray(j.templateIds) ||
      !Array.isArray(j.members) ||
      typeof j.counts?.options !== 'object' ||
      typeof j.bounds?.maxOpen !== 'number'
    )
      throw new Error('session/window model lacks its kind, templates, counts, bounds or members');
    const counts = CountVectorizer.restore(j.templateIds.length, j.counts.options, j.counts.idf);
    const members = j.members.map((m) => ({
      name: m.name,
      detector: matrixDetectorFactory(m.name).load(Buffer.from(m.bytes, 'base64')),
      calibration: Calibration.load(Buffer.from(m.calibration, 'base64')),
    }));
    return new GroupModel(
      j.kind,
      j.templateIds,
      counts,
      members,
      j.bounds,
      CountRanges.fromJSON(j.ranges, counts.cols),
    );
  }
}

export interface GroupModelJson {
  kind: GroupKind;
  templateIds: string[];
  counts: { options: CountOptions; idf?: number[] };
  bounds: GroupBounds;
  ranges?: CountRangesJson;
  members: { name: DetectorName; calibration: string; bytes: string }[];
}
