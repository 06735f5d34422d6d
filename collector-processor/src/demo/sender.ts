import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { type DemoRecord } from './scenario';

const SEVERITY: Record<DemoRecord['severity'], SeverityNumber> = {
  INFO: SeverityNumber.INFO,
  WARN: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
};

/** Sends demo records over real OTLP/gRPC with the OTel JS SDK, one LoggerProvider (resource) per service. */
export class DemoSender {
  private readonly providers = new Map<string, LoggerProvider>();

  constructor(private readonly endpoint: string) {}

  private provider(service: string): LoggerProvider {
    let p = this.providers.get(service);
    if (!p) {
      const exporter = new OTLPLogExporter({
        url: this.endpoint.includes('://') ? this.endpoint : `http://${this.endpoint}`,
      });
      p = new LoggerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        processors: [
          new BatchLogRecordProcessor({
            exporter,
            scheduledDelayMillis: 200,
            maxExportBatchSize: 512,
            maxQueueSize: 20000,
          }),
        ],
      });
      this.providers.set(service, p);
    }
    return p;
  }

  emit(r: DemoRecord, startedAtMs: number): void {
    this.provider(r.service)
      .getLogger('anomalog-demo')
      .emit({
        timestamp: startedAtMs + r.atMs,
        severityNumber: SEVERITY[r.severity],
        severityText: r.severity,
        body: r.body,
        attributes: { [r.sessionKey]: r.sessionId },
      });
  }

  async close(): Promise<void> {
    await Promise.all([...this.providers.values()].map((p) => p.shutdown()));
  }
}
