/**
 * What the stages of the annotation chain hand on, each in its own type: the parse stage the batch's
 * Parsed, the detect stage its Verdicts. A stage reads only outputs of the stages before it, and every
 * field of an output is set by the stage that makes it.
 */

/** The parse stage's output for one record, as one object (Parsed.at): where it comes from and its template. */
export interface ParsedRecord {
  readonly service: string;
  readonly message: string;
  readonly severityNumber: number;
  readonly templateId: string;
  readonly template: string;
  /** The miner created the template for this record. */
  readonly newTemplate: boolean;
  /** Whitespace tokens of the message as the miner's scan counted them; -1 past its maxTokens (not counted). */
  readonly tokens: number;
  /** The record's time in ms (recordTimeMs). */
  readonly timeMs: number;
}

/**
 * The parse stage's output for a batch, by record position, one array per field as in Verdicts: the
 * stage writes a record's fields in place, with no object per record.
 */
export class Parsed {
  /** 1: the parse stage reached the record; the other fields hold its output. */
  readonly has: Uint8Array;
  readonly service: string[];
  readonly message: string[];
  readonly severityNumber: Int32Array;
  readonly templateId: string[];
  readonly template: string[];
  /** 1: the miner created the template for this record. */
  readonly newTemplate: Uint8Array;
  /** As ParsedRecord.tokens. */
  readonly tokens: Int32Array;
  readonly timeMs: Float64Array;

  constructor(records: number) {
    this.has = new Uint8Array(records);
    this.service = new Array<string>(records);
    this.message = new Array<string>(records);
    this.severityNumber = new Int32Array(records);
    this.templateId = new Array<string>(records);
    this.template = new Array<string>(records);
    this.newTemplate = new Uint8Array(records);
    this.tokens = new Int32Array(records);
    this.timeMs = new Float64Array(records);
  }

  get size(): number {
    return this.has.length;
  }

  /** Record i's output, field by field: the parse stage's hot path, with no object per record. */
  write(
    i: number,
    service: string,
    message: string,
    severityNumber: number,
    templateId: string,
    template: string,
    newTemplate: boolean,
    tokens: number,
    timeMs: number,
  ): void {
    this.has[i] = 1;
    this.service[i] = service;
    this.message[i] = message;
    this.severityNumber[i] = severityNumber;
    this.templateId[i] = templateId;
    this.template[i] = template;
    this.newTemplate[i] = newTemplate ? 1 : 0;
    this.tokens[i] = tokens;
    this.timeMs[i] = timeMs;
  }

  /** Record i's output from one object (benchmarks, tests). */
  set(i: number, p: ParsedRecord): void {
    this.write(i, p.service, p.message, p.severityNumber, p.templateId, p.template, p.newTemplate, p.tokens, p.timeMs);
  }

  /** Record i's output as one object (CLI, benchmarks, tests; not for the hot path). */
  at(i: number): ParsedRecord | undefined {
    if (i >= this.size || this.has[i] === 0) return undefined;
    return {
      service: this.service[i],
      message: this.message[i],
      severityNumber: this.severityNumber[i],
      templateId: this.templateId[i],
      template: this.template[i],
      newTemplate: this.newTemplate[i] === 1,
      tokens: this.tokens[i],
      timeMs: this.timeMs[i],
    };
  }
}

/** A record the detect stage did not reach (no detect stage, or no template). */
export const NOT_SCORED = 0;
/** Passed without a score while its service's models learn or are restored. */
export const UNSCORED = 1;
/** Scored: score, anomalous and detector hold its verdict. */
export const SCORED = 2;

/**
 * The detect stage's output for a batch, by record position: one array per field rather than an
 * object per record, so scoring a batch allocates per batch, not per record.
 */
export class Verdicts {
  /** NOT_SCORED, UNSCORED or SCORED. */
  readonly kind: Uint8Array;
  readonly score: Float64Array;
  /** 1: flagged (after suppressions). */
  readonly anomalous: Uint8Array;
  readonly detector: string[];
  /** Why the record was flagged, or why its flag was muted; undefined: neither. */
  readonly reason: (string | undefined)[];
  /** The session the record belongs to, for services with a session key. */
  readonly sessionId: (string | undefined)[];

  constructor(records: number) {
    this.kind = new Uint8Array(records);
    this.score = new Float64Array(records);
    this.anomalous = new Uint8Array(records);
    this.detector = new Array<string>(records);
    this.reason = new Array<string | undefined>(records);
    this.sessionId = new Array<string | undefined>(records);
  }

  get size(): number {
    return this.kind.length;
  }
}

/** One record's annotations as a plain object (CLI, benchmarks, tests; not for the hot path). */
export interface RecordAnnotations extends ParsedRecord {
  sessionId?: string;
  /** True while the service's models are learning: passed through without a score. */
  unscored?: boolean;
  score?: number;
  isAnomaly?: boolean;
  detector?: string;
  reason?: string;
}

/** Every record's annotations, in record order; records the parse stage did not reach are left out. */
export function annotationsOf(parsed: Parsed, verdicts: Verdicts): RecordAnnotations[] {
  const out: RecordAnnotations[] = [];
  for (let i = 0; i < parsed.size; i++) {
    const p = parsed.at(i);
    if (p === undefined) continue;
    const a: RecordAnnotations = p;
    const kind = i < verdicts.size ? verdicts.kind[i] : NOT_SCORED;
    if (kind !== NOT_SCORED && verdicts.sessionId[i] !== undefined) a.sessionId = verdicts.sessionId[i];
    if (kind === UNSCORED) a.unscored = true;
    if (kind === SCORED) {
      a.score = verdicts.score[i];
      a.isAnomaly = verdicts.anomalous[i] === 1;
      a.detector = verdicts.detector[i];
      if (verdicts.reason[i] !== undefined) a.reason = verdicts.reason[i];
    }
    out[i] = a;
  }
  return out;
}
