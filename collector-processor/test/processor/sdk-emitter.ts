/** Builds an OTel SDK LoggerProvider that both exports (the real peer) and keeps a copy (the expectation). */
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  BatchLogRecordProcessor,
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type LogRecordExporter,
} from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';

export function sdkProvider(exporter: LogRecordExporter) {
  const captured = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'sdk-test', 'service.instance.id': 'i-1', 'host.cpus': 2 }),
    logRecordLimits: { attributeCountLimit: 3 },
    processors: [
      new SimpleLogRecordProcessor({ exporter: captured }),
      new BatchLogRecordProcessor({ exporter, maxExportBatchSize: 512, maxQueueSize: 4096, scheduledDelayMillis: 20 }),
    ],
  });
  return { provider, captured };
}

/** Emit n records across two scopes with every kind of body and a span context. */
export function emitVariety(provider: LoggerProvider, n: number, offset = 0): void {
  const a = provider.getLogger('app.a', '1.0.0');
  const b = provider.getLogger('app.b');
  const spanCtx = trace.setSpanContext(context.active(), {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    traceFlags: TraceFlags.SAMPLED,
  });
  for (let i = offset; i < offset + n; i++) {
    const logger = i % 3 === 2 ? b : a;
    logger.emit({
      timestamp: new Date(1_700_000_000_000 + i),
      observedTimestamp: [1_700_000_100, i * 1000 + 7],
      severityNumber: i % 2 ? SeverityNumber.ERROR : SeverityNumber.INFO,
      severityText: i % 2 ? 'ERROR' : 'INFO',
      eventName: i % 5 === 0 ? 'evt.five' : undefined,
      context: i % 4 === 3 ? context.active() : spanCtx,
      body:
        i % 3 === 2
          ? `plain line ${i} ünïcödé ✓`
          : {
              s: `record ${i}`,
              i: i * 1000,
              d: i + 0.25,
              b: i % 2 === 0,
              arr: [1, 'two', false],
              bytes: new Uint8Array([i & 0xff, 0, 255]),
              nested: { deeper: { k: 'v' } },
            },
      attributes: { seq: i, 'attr.str': 'x', 'attr.bool': true, 'attr.drop1': 1, 'attr.drop2': 2 },
    });
  }
}
