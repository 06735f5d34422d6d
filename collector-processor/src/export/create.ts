import { createNullExporter, type LogsExporter } from './exporter';
import { createGrpcExporter } from './grpc-exporter';
import { createHttpExporter } from './http-exporter';
import { createSizedExporter } from './sized-exporter';
import type { ExporterSettings } from '../net/target';

const MiB = 1024 * 1024;

export function createExporter(cfg: ExporterSettings): LogsExporter {
  if (!cfg.endpoint) return createNullExporter();
  const wire = cfg.protocol === 'grpc' ? createGrpcExporter(cfg) : createHttpExporter(cfg);
  return createSizedExporter(wire, Math.floor(cfg.maxRequestMiB * MiB));
}
