import { DecodeError, ProcessingError, type Refusal } from '../otlp/errors';
import { decodeLogsRequest } from '../otlp/logs-decode';
import { scanLogsRequest } from '../otlp/logs-scan';
import { decodeLogsRequestJson } from '../otlp/logs-json';
import type { ExportResponse } from '../otlp/service';
import type { Pipeline, Received } from '../chain/pipeline';
import type { ProcessorMetrics } from '../telemetry/metrics';
import type { Logger } from '../telemetry/logger';
import type { Admission, Release, Requester } from './admission';
import { decodedEstimate, type DecodedBudget } from './decoded-budget';
import {
  decodePiece,
  joinPiece,
  joinState,
  piecesOf,
  PIECED_REQUEST_BYTES,
  recordCountInTurns,
  requestLayoutInTurns,
} from './request-pieces';

/** Refusals answered with a retryable status (receive/answers.ts): only these are retried upstream. */
const RETRYABLE_REFUSALS = new Set<Refusal>(['throttled', 'downstream-unavailable', 'shutting-down']);

export type Protocol = 'grpc' | 'http';
export type Encoding = 'protobuf' | 'json';

/**
 * What both receivers do with one request body: admission, decode and validate, run the
 * pipeline, count. Throws ProcessingError for every refusal; the receivers turn it into their
 * protocol's answer.
 */
export class ExportHandler {
  private readonly counted = new WeakSet<object>();

  constructor(
    private readonly admission: Admission,
    private readonly pipeline: Pipeline,
    private readonly metrics: ProcessorMetrics,
    private readonly logger: Logger,
    private readonly maxValueDepth: number,
    /** Decoded requests held at once; absent: only wire bytes are bounded. */
    private readonly decoded?: DecodedBudget,
  ) {}

  /** Reserve room for a request of `size` bytes; the returned function releases it. */
  admit(size: number, protocol: Protocol, from?: Requester): Release {
    try {
      return this.admission.admit(size, from);
    } catch (err) {
      this.rejected(err, protocol);
      throw err;
    }
  }

  /** Count and log a refusal (also called by receivers for refusals found before `process`). */
  rejected(err: unknown, protocol: Protocol): void {
    // Idempotent per error object: receivers may report an error the handler already counted.
    if (typeof err === 'object' && err !== null) {
      if (this.counted.has(err)) return;
      this.counted.add(err);
    }
    const reason = err instanceof ProcessingError ? err.reason : 'internal';
    this.metrics.requestsRejected.inc({ protocol, reason });
    if (err instanceof ProcessingError && err.refusal === 'bad-input') {
      this.logger.debug({ protocol, reason, msg_detail: err.message }, 'request rejected');
    } else if (!(err instanceof ProcessingError)) {
      this.logger.error({ err, protocol }, 'request failed unexpectedly');
    }
  }

  /**
   * A large protobuf request: its records counted and weighed against the decoded budget before any
   * is built, then decoded a piece per turn of the event loop (request-pieces.ts), so that decoding
   * it takes turns with the requests already in the chain. A request whose layout cannot be read is
   * decoded whole (the decoder names its fault).
   */
  private async decodeInPieces(
    body: Buffer,
    opts: { maxValueDepth: number },
  ): Promise<{ decoded: Received; release?: () => void }> {
    // Many large requests arrive in one poll of the loop: each is weighed in turns of its own. Its
    // records are only counted until the budget took it: a refused one keeps nothing of its reading.
    await this.pipeline.turn();
    const recordCount = await recordCountInTurns(body, this.pipeline.turn);
    if (recordCount === undefined) return { decoded: decodeLogsRequest(body, { ...opts, keepWire: true }) };
    const release = this.decoded?.take(decodedEstimate(body.length, recordCount));
    try {
      const layout = (await requestLayoutInTurns(body, this.pipeline.turn))!;
      const decoded = { data: { resourceLogs: [] }, recordCount: 0 };
      const at = joinState();
      for (const piece of piecesOf(layout)) {
        await this.pipeline.turn();
        joinPiece(decoded, piece, decodePiece(layout, piece, { ...opts, keepWire: true }), at);
      }
      return { decoded, release };
    } catch (err) {
      release?.();
      throw err;
    }
  }

  /** `cancelled`: aborts when the client gives up waiting (then the request is not forwarded). */
  async process(
    body: Buffer,
    encoding: Encoding,
    protocol: Protocol,
    cancelled?: AbortSignal,
  ): Promise<ExportResponse> {
    const receivedAtMs = Date.now();
    let decoded: Received;
    let releaseDecoded: (() => void) | undefined;
    const opts = { maxValueDepth: this.maxValueDepth };
    try {
      if (encoding === 'json') decoded = decodeLogsRequestJson(body, opts);
      else if (!this.pipeline.needsModel) decoded = scanLogsRequest(body, opts);
      else if (body.length > PIECED_REQUEST_BYTES) {
        const pieces = await this.decodeInPieces(body, opts);
        decoded = pieces.decoded;
        releaseDecoded = pieces.release;
      }
      // Records keep their received bytes: forwarding them appends the annotations, no re-encode.
      else decoded = decodeLogsRequest(body, { ...opts, keepWire: true });
      if (decoded.recordCount === 0) throw new DecodeError('request holds no log records', 'empty');
      releaseDecoded ??= this.decoded?.take(decodedEstimate(body.length, decoded.recordCount));
    } catch (err) {
      releaseDecoded?.();
      this.rejected(err, protocol);
      throw err;
    }
    const count = decoded.recordCount;
    this.metrics.recordsReceived.inc({ protocol }, count);
    this.metrics.inflightRequests.inc();
    try {
      const res = await this.pipeline.run(decoded, encoding === 'protobuf' ? body : undefined, receivedAtMs, cancelled);
      const rejected = Number(res.partialSuccess?.rejectedLogRecords ?? 0n);
      const tooLarge = res.tooLargeRecords ?? 0;
      this.metrics.recordsExported.inc(Math.max(0, count - rejected));
      if (rejected > tooLarge) this.metrics.recordsFailed.inc({ reason: 'downstream-partial' }, rejected - tooLarge);
      if (tooLarge > 0) {
        this.metrics.recordsFailed.inc({ reason: 'record-too-large' }, tooLarge);
        this.logger.warn(
          { protocol, records: tooLarge, detail: res.partialSuccess?.errorMessage },
          'log records too large to send downstream were dropped (answered as partial success, not retried)',
        );
      }
      this.metrics.exportLatency.observe((Date.now() - receivedAtMs) / 1000);
      return res;
    } catch (err) {
      const reason = err instanceof ProcessingError ? err.reason : 'internal';
      this.metrics.recordsFailed.inc({ reason }, count);
      this.rejected(err, protocol);
      if (err instanceof ProcessingError && RETRYABLE_REFUSALS.has(err.refusal)) {
        this.logger.warn(
          { protocol, records: count, reason, detail: err.message },
          'export failed; upstream will retry',
        );
      } else if (err instanceof ProcessingError && err.refusal === 'downstream-rejected') {
        this.logger.warn(
          { protocol, records: count, reason, detail: err.message },
          'export rejected by the downstream for good; the records are not retried',
        );
      }
      throw err;
    } finally {
      releaseDecoded?.();
      this.metrics.inflightRequests.dec();
    }
  }
}
