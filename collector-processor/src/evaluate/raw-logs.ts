/**
 * Raw log lines → parsed records, through the project's own parse code: the loghub line-format
 * splitter for the header, then the streaming TemplateMiner on the message (as the parse stage does
 * per OTLP record). Template ids become Vocabulary columns in order of first appearance.
 */
import { compileLineFormat } from '../parse/line-format';
import { TemplateMiner } from '../parse/miner';
import type { MinerConfig } from '../parse/config';
import { tokenize } from '../parse/masking';
import { Vocabulary } from '../features/vocabulary';

export interface ParsedLine {
  /** 1-based line number in the file. */
  line: number;
  /** Template column (Vocabulary index). */
  template: number;
  /** OTel severity number from the Level field (0 unknown). */
  severityNumber: number;
  tokens: number;
  message: string;
  timeMs: number;
}

export interface ParsedLog {
  lines: ParsedLine[];
  vocabulary: Vocabulary;
  /** Template text per vocabulary column. */
  templates: string[];
  /** Lines that did not fit the line format (mined whole, as the processor does with unstructured bodies). */
  unmatched: number;
}

export function parseLog(
  text: string,
  lineFormat: string | undefined,
  service: string,
  miner?: Partial<MinerConfig>,
): ParsedLog {
  const format = lineFormat ? compileLineFormat(lineFormat) : undefined;
  const m = new TemplateMiner(miner);
  const vocabulary = new Vocabulary();
  const templates: string[] = [];
  const lines: ParsedLine[] = [];
  let unmatched = 0;
  let lastTime = 0;
  const raw = text.split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    const lineText = raw[i];
    if (lineText.trim() === '') continue;
    const fields = format?.split(lineText);
    if (format && !fields) unmatched++;
    // Only Content, Level and the time fields are read: other header fields (BGL's first column is
    // the ground-truth label) never reach the features.
    const message = fields?.Content ?? lineText;
    // time only orders records and drives session inactivity; fall back to the line number
    const t = fields ? timeOf(fields) : NaN;
    lastTime = Number.isFinite(t) ? Math.max(lastTime, t) : lastTime;
    const timeMs = Number.isFinite(t) || lastTime > 0 ? lastTime : i + 1;
    const r = m.add(service, message, timeMs);
    const col = vocabulary.add(r.templateId);
    if (col === templates.length) templates.push(r.template);
    else templates[col] = r.template; // templates generalise as they merge: keep the latest text
    lines.push({
      line: i + 1,
      message,
      timeMs,
      template: col,
      severityNumber: severityFromText(fields?.Level ?? fields?.level),
      tokens: tokenize(message, 1 << 30).length,
    });
  }
  return { lines, vocabulary, templates, unmatched };
}

/** Epoch seconds in `Timestamp`, HDFS `Date` yymmdd + `Time` hhmmss, or a parseable Date/Time; NaN otherwise. */
export function timeOf(f: Record<string, string>): number {
  if (f.Timestamp && /^\d{9,10}$/.test(f.Timestamp)) return Number(f.Timestamp) * 1000;
  if (f.Date && f.Time && /^\d{6}$/.test(f.Date) && /^\d{6}$/.test(f.Time)) {
    const d = f.Date;
    const t = f.Time;
    return Date.UTC(
      2000 + +d.slice(0, 2),
      +d.slice(2, 4) - 1,
      +d.slice(4, 6),
      +t.slice(0, 2),
      +t.slice(2, 4),
      +t.slice(4, 6),
    );
  }
  if (f.Date || f.Time) {
    const ms = Date.parse(`${f.Date ?? ''} ${f.Time ?? ''}`.trim());
    if (Number.isFinite(ms)) return ms;
  }
  return NaN;
}

/** OTel severity number from a level word (loghub Level columns, syslog-ish names); 0 when unknown. */
export function severityFromText(level: string | undefined): number {
  switch ((level ?? '').trim().toUpperCase()) {
    case 'TRACE':
    case 'FINEST':
    case 'FINER':
      return 1;
    case 'DEBUG':
    case 'FINE':
    case 'D':
    case 'V':
      return 5;
    case 'INFO':
    case 'I':
    case 'NOTICE':
      return 9;
    case 'WARN':
    case 'WARNING':
    case 'W':
      return 13;
    case 'ERROR':
    case 'ERR':
    case 'E':
    case 'SEVERE':
    case 'FAILURE':
      return 17;
    case 'FATAL':
    case 'CRITICAL':
    case 'CRIT':
    case 'F':
    case 'EMERG':
    case 'ALERT':
      return 21;
    default:
      return 0;
  }
}
