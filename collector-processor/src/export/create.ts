import { createNullExporter, type LogsExporter } from './exporter';
import { createGrpcExporter } from './grpc-exporter';
import { createHttpExporter } from './http-exporter';
import type { ExporterSettings } from '../net/target';

export function createExporter(cfg: ExporterSettings): LogsExporter {
  if (!cfg.endpoint) return createNullExporter();
  return cfg.protocol === 'grpc' ? createGrpcExporter(cfg) : createHttpExporter(cfg);
}
