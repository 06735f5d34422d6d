import type { AnomalogConfig } from '@anomalog/shared';
import { Counter, type Registry } from 'prom-client';
import type { AnnotationStage } from './chain/stage';
import { createExporter } from './export/create';
import { createPipeline } from './chain/pipeline';
import { Admission } from './receive/admission';
import { DecodedBudget, decodedBudgetBytes } from './receive/decoded-budget';
import { startGrpcReceiver, type GrpcReceiver } from './receive/grpc-receiver';
import { ExportHandler } from './receive/handler';
import { startHttpReceiver, type HttpReceiver } from './receive/http-receiver';
import { keepHeapHeadroom } from './runtime/heap-headroom';
import { createLogger, type Logger } from './telemetry/logger';
import { createProcessorMetrics, type ProcessorMetrics } from './telemetry/metrics';
import { startTelemetryServer, type TelemetryServer } from './telemetry/server';

export interface ProcessorOptions {
  /** The annotation chain's stages, in order (createAnnotationChain's `stages`); none: pass-through. */
  stages?: readonly AnnotationStage[];
  logger?: Logger;
  /** Registry to serve on /metrics; pass one to register metrics before start, or use `.registry` after. */
  registry?: Registry;
}

export interface RunningProcessor {
  /** Bound "host:port" of each server ('' when that receiver is disabled). */
  grpcAddress: string;
  httpAddress: string;
  telemetryAddress: string;
  /** The Prometheus registry behind /metrics: later stages add their metrics here. */
  registry: Registry;
  metrics: ProcessorMetrics;
  logger: Logger;
  /** Stop accepting, finish in-flight exports within telemetry.shutdownTimeoutMs, close stages and downstream. */
  close(): Promise<void>;
}

const MiB = 1024 * 1024;

export async function startProcessor(config: AnomalogConfig, opts: ProcessorOptions = {}): Promise<RunningProcessor> {
  const logger = opts.logger ?? createLogger(config.telemetry.logLevel);
  const metrics = createProcessorMetrics(opts.registry);
  const stageErrors = new Counter({
    name: 'anomalog_stage_errors_total',
    help: 'Annotation stage failures (the batch was forwarded without that stage).',
    labelNames: ['stage'],
    registers: [metrics.registry],
  });
  // Every request's bytes are allocated outside the V8 heap as they arrive, are gathered and are
  // sent on, and V8 counts that against the old generation's limit: with its own small margin under
  // the heap cap, a full GC ran every few large requests (heap-headroom.ts).
  const headroom = keepHeapHeadroom();
  const stages = opts.stages ?? [];
  const exporter = createExporter(config.exporter);
  const pipeline = createPipeline({
    stages,
    exporter,
    logger,
    onStageError: (stage) => stageErrors.inc({ stage }),
  });
  const rc = config.receiver;
  const maxBytes = Math.floor(rc.maxRecvMsgSizeMiB * MiB);
  const admission = new Admission(rc.maxConcurrentRequests, Math.floor(rc.maxInflightMiB * MiB), {
    perClient: rc.maxRequestsPerClient,
    receiving: Math.max(1, Math.floor(rc.maxConcurrentRequests * rc.maxReceivingShare)),
  });
  const decoded = new DecodedBudget(decodedBudgetBytes(rc.maxInflightDecodedMiB));
  const handler = new ExportHandler(admission, pipeline, metrics, logger, rc.maxValueDepth, decoded);

  let grpcReceiver: GrpcReceiver | undefined;
  let httpReceiver: HttpReceiver | undefined;
  let telemetry: TelemetryServer | undefined;
  try {
    if (rc.grpc.enabled) grpcReceiver = await startGrpcReceiver(rc.grpc.endpoint, handler, maxBytes, rc.grpc);
    if (rc.http.enabled) {
      httpReceiver = await startHttpReceiver(rc.http.endpoint, handler, {
        maxMessageBytes: maxBytes,
        retryAfterSeconds: rc.retryAfterSeconds,
        headersTimeoutS: rc.http.headersTimeoutS,
        requestTimeoutS: rc.http.requestTimeoutS,
        idleTimeoutS: rc.http.idleTimeoutS,
        minBodyBytesPerS: rc.http.minBodyBytesPerS,
      });
    }
    telemetry = await startTelemetryServer(config.telemetry.endpoint, metrics.registry, () => !admission.isDraining);
  } catch (err) {
    await Promise.all([grpcReceiver?.close(0), httpReceiver?.close(0), telemetry?.close()]);
    await pipeline.close();
    headroom.stop();
    throw err;
  }

  logger.info(
    {
      grpc: grpcReceiver?.address ?? 'disabled',
      http: httpReceiver?.address ?? 'disabled',
      telemetry: telemetry.address,
      downstream: exporter.target,
      stages: pipeline.stageNames,
    },
    'anomalog processor started',
  );
  if (grpcReceiver && !grpcReceiver.windowsRaised) {
    logger.warn('gRPC receiver: HTTP/2 flow-control windows stay at 64 KiB (this grpc-js version hides them)');
  }
  if (!config.exporter.endpoint) {
    logger.warn(
      'no downstream configured (exporter.endpoint unset): requests are accepted and answered with success, nothing is forwarded',
    );
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const timeoutMs = config.telemetry.shutdownTimeoutMs;
      logger.info(
        { inflight: admission.inflight, timeoutMs },
        'shutting down: no new requests, finishing in-flight exports',
      );
      admission.drain();
      const started = Date.now();
      await Promise.all([grpcReceiver?.close(timeoutMs), httpReceiver?.close(timeoutMs)]);
      const idle = await admission.whenIdle(Math.max(0, timeoutMs - (Date.now() - started)));
      if (!idle)
        logger.warn(
          { inflight: admission.inflight },
          'shutdown timeout: abandoning in-flight exports (upstream will retry them)',
        );
      await pipeline.close();
      await telemetry?.close();
      headroom.stop();
      logger.info('processor stopped');
    })());

  return {
    grpcAddress: grpcReceiver?.address ?? '',
    httpAddress: httpReceiver?.address ?? '',
    telemetryAddress: telemetry.address,
    registry: metrics.registry,
    metrics,
    logger,
    close,
  };
}
