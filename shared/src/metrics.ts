/**
 * Metric names the processor emits (Prometheus `/metrics` and OTLP). Dashboards, alert rules and the
 * Grafana app read these, so they are declared once, here. Prometheus names; counters end in `_total`.
 */
export const METRIC = {
  // Self-telemetry of the OTLP path.
  recordsReceived: 'anomalog_records_received_total',
  recordsExported: 'anomalog_records_exported_total',
  recordsFailed: 'anomalog_records_failed_total',
  requestsRejected: 'anomalog_requests_rejected_total',
  exportLatency: 'anomalog_export_latency_seconds',
  inflightRequests: 'anomalog_inflight_requests',
  // Detection.
  anomalies: 'anomalog_anomalies_total',
  anomalyScore: 'anomalog_anomaly_score',
  anomaliesNotStored: 'anomalog_anomalies_not_stored_total',
  recordsScored: 'anomalog_records_scored_total',
  templatesSeen: 'anomalog_templates_seen',
  templatesNew: 'anomalog_templates_new_total',
  sessionsOpen: 'anomalog_sessions_open',
  trainingRuns: 'anomalog_training_runs_total',
  trainingDuration: 'anomalog_training_duration_seconds',
} as const;

/** Label names used on the detection metrics. */
export const METRIC_LABEL = {
  service: 'service',
  detector: 'detector',
  template: 'template_id',
  reason: 'reason',
  outcome: 'outcome',
} as const;
