import { ATTR, type Anomaly } from '@anomalog/shared';

const MARGIN_MS = 5 * 60 * 1000;

/**
 * How Loki's OTLP ingestion names a log attribute in structured metadata: dots (and other characters
 * not allowed in label names) become underscores, so `log.template.id` is queried as `log_template_id`.
 */
export function lokiMetadataName(attribute: string): string {
  return attribute.replace(/[^a-zA-Z0-9_]/g, '_');
}

const quote = (value: string) => JSON.stringify(value);

/** The LogQL for an anomaly's template in its service: its stream, then the template id attribute. */
export function templateQuery(anomaly: Pick<Anomaly, 'service' | 'templateId'>): string {
  return `{service_name=${quote(anomaly.service)}} | ${lokiMetadataName(ATTR.templateId)}=${quote(anomaly.templateId)}`;
}

/** Explore on the chosen Loki data source over the minutes around the anomaly, for its service and template. */
export function exploreUrl(anomaly: Pick<Anomaly, 'time' | 'service' | 'templateId'>, lokiUid: string): string {
  const at = Date.parse(anomaly.time);
  const pane = {
    datasource: lokiUid,
    queries: [{ refId: 'A', datasource: { type: 'loki', uid: lokiUid }, expr: templateQuery(anomaly) }],
    range: { from: String(at - MARGIN_MS), to: String(at + MARGIN_MS) },
  };
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ a: pane }))}`;
}
