/**
 * Attribute names Anomalog adds to every log record it forwards. The processor writes them and the
 * Grafana app, dashboards and alert rules read them, so they are declared once, here.
 */
export const ATTR = {
  templateId: 'log.template.id',
  template: 'log.template',
  score: 'anomaly.score',
  isAnomaly: 'anomaly.is_anomaly',
  /** Flagged records: minor, major or critical by the score's decades beyond the threshold (detect/score-scale.ts). */
  severity: 'anomaly.severity',
  detector: 'anomaly.detector',
  reason: 'anomaly.reason',
  sessionId: 'anomaly.session.id',
  /** Set while a service's models are still learning: the record passed through without a score. */
  unscored: 'anomaly.unscored',
} as const;

export type AnomalogAttribute = (typeof ATTR)[keyof typeof ATTR];

/** Template id given to records whose message could not be parsed (empty, binary, over the caps). */
export const UNPARSED_TEMPLATE_ID = 'unparsed';
