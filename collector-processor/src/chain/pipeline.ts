import { newBatch, type AnnotationStage } from './stage';
import type { LogsExporter } from '../export/exporter';
import { encodeLogsRequest, encodeRecordFields } from '../otlp/logs-encode';
import type { LogsData, ScopeLogs } from '../otlp/types';
import type { ExportResponse } from '../otlp/service';
import type { Logger } from '../telemetry/logger';
import { createTurns, loopTurnedSince } from './turns';
import { SlicePace, Slicer } from './slices';
import { ProcessingError } from '../otlp/errors';

/** A request after validation: the model only when the chain needs it. */
export interface Received {
  recordCount: number;
  data?: LogsData;
}

export interface Pipeline {
  readonly stageNames: readonly string[];
  /** False with an empty chain: protobuf requests are then validated without building the model. */
  readonly needsModel: boolean;
  /**
   * Run the annotation chain on one request, then forward it. `raw` is the request as received
   * in protobuf: with an empty chain it is forwarded byte for byte (nothing to add, no re-encode).
   * `cancelled` aborts when the client gave up waiting (its deadline, a closed connection): the
   * request is then not forwarded, since the client takes it as failed and sends it again.
   */
  run(
    received: Received,
    raw: Buffer | undefined,
    receivedAtMs: number,
    cancelled?: AbortSignal,
  ): Promise<ExportResponse>;
  /**
   * Resolves in this caller's turn of the event loop, after the turns asked for before (turns.ts):
   * the receivers wait for one before decoding a large request, so decoding takes turns with the
   * chains of the requests already running.
   */
  turn(): Promise<void>;
  close(): Promise<void>;
}

export interface PipelineOptions {
  stages: readonly AnnotationStage[];
  exporter: LogsExporter;
  logger: Logger;
  /** Called when a stage throws; the batch still goes downstream (annotation is best-effort, data is not). */
  onStageError?: (stage: string, err: unknown) => void;
  /** Chain work of one event-loop turn, in record weight (slices.ts); default: paced by time (SlicePace). */
  sliceWeight?: number;
}

export function createPipeline(opts: PipelineOptions): Pipeline {
  const { stages, exporter, logger } = opts;
  const turn = createTurns();
  const pace = new SlicePace();
  const sliceWeight = () => opts.sliceWeight ?? pace.weight();
  return {
    turn,
    stageNames: stages.map((s) => s.name),
    needsModel: stages.length > 0,
    async run(received, raw, receivedAtMs, cancelled) {
      if (stages.length === 0 && raw) return exporter.export(raw);
      if (!received.data) throw new Error('pipeline: a request without its model reached a non-empty chain');
      // A slice of the request per turn of the event loop (turns.ts), the request's slices in order:
      // a large request takes turns with the others instead of holding the loop for all its records.
      const slicer = new Slicer(received.data, received.recordCount);
      // A request of several slices has each slice's records encoded in the slice's own turn: the
      // turn that forwards it then only copies their bytes, rather than encoding the whole request.
      const encoded = new Map<ScopeLogs, Uint8Array[]>();
      for (let slice = slicer.next(sliceWeight()); slice; slice = slicer.next(sliceWeight())) {
        await turn();
        if (cancelled?.aborted) throw clientGone();
        const sliceStartedMs = performance.now();
        const turned = loopTurnedSince();
        // The loop is held by each stage's synchronous part; its waits (store reads, writes) let others run.
        let heldMs = 0;
        const batch = newBatch(slice.data, slice.recordCount, receivedAtMs);
        for (const stage of stages) {
          try {
            const startedMs = performance.now();
            const pending = stage.process(batch);
            heldMs += performance.now() - startedMs;
            await pending;
          } catch (err) {
            logger.warn(
              { err, stage: stage.name },
              'annotation stage failed; forwarding the batch without its annotations',
            );
            opts.onStageError?.(stage.name, err);
          }
        }
        if (slice.scopes) {
          const startedMs = performance.now();
          encodeSlice(slice.data, slice.scopes, encoded);
          heldMs += performance.now() - startedMs;
        }
        // A stage's work after an await (all of an async stage's past its first await) runs in this same
        // turn unless it waited for I/O: then the whole slice held the loop, not only the synchronous parts.
        if (!turned()) heldMs = performance.now() - sliceStartedMs;
        pace.observe(slice.weight, heldMs);
      }
      // Put together and handed to the exporter (which may split it) in a turn of its own, not in the last slice's.
      if (encoded.size > 0) await turn();
      if (cancelled?.aborted) throw clientGone();
      // The slices annotated the request's own records: the request leaves whole, as it came.
      return exporter.export(encodeLogsRequest(received.data, encoded));
    },
    async close() {
      for (const stage of stages) {
        try {
          await stage.close?.();
        } catch (err) {
          logger.error({ err, stage: stage.name }, 'stage close failed');
        }
      }
      await exporter.close();
    },
  };
}

/** Adds a slice's encoded records to those of their scopes in the request. */
function encodeSlice(data: LogsData, scopes: readonly ScopeLogs[], into: Map<ScopeLogs, Uint8Array[]>): void {
  const fields = encodeRecordFields(data);
  for (let i = 0; i < scopes.length; i++) {
    const runs = into.get(scopes[i]);
    if (runs) runs.push(fields[i]);
    else into.set(scopes[i], [fields[i]]);
  }
}

/** The answer (never read) to a request whose client stopped waiting before it was forwarded. */
function clientGone(): ProcessingError {
  return new ProcessingError(
    'throttled',
    'the client stopped waiting before the request was forwarded; not forwarded',
    'client-gone',
  );
}
