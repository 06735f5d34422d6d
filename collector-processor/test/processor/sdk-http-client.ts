/**
 * Runs the official OTLP/HTTP log exporter in its own Node process (jest's VM sandbox cannot run
 * its dynamic imports): emits N varied records to URL, flushes, and prints on stdout the same
 * records as the SDK's own protobuf serialization (base64), which the test uses as expectation.
 * Usage: node --import tsx sdk-http-client.ts URL N
 */
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { emitVariety, sdkProvider } from './sdk-emitter';

async function main(): Promise<void> {
  const [url, n] = process.argv.slice(2);
  console.warn = () => undefined; // the SDK warns per record about attributes dropped on purpose
  const { provider, captured } = sdkProvider(new OTLPLogExporter({ url }));
  emitVariety(provider, Number(n));
  await provider.forceFlush();
  const expected = ProtobufLogsSerializer.serializeRequest(captured.getFinishedLogRecords())!;
  process.stdout.write(Buffer.from(expected).toString('base64'));
  await provider.shutdown();
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
