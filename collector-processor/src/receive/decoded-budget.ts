import { getHeapStatistics } from 'node:v8';
import { ProcessingError } from '../otlp/errors';

/**
 * Bounds the decoded requests held at once, in estimated heap bytes. Wire bytes say little about
 * the heap: a record of 60 bytes on the wire becomes several objects (record, attributes, facts,
 * the annotations added) of about a kilobyte. A large protobuf request is weighed from its layout
 * before any record is built (request-pieces.ts); a small one is decoded in one go, then weighed.
 * Over the budget a request is refused with a retryable answer and nothing of it is forwarded, and
 * at most one small decoded request beyond the budget exists at a time. A request alone is always
 * taken, so the largest request the size limit admits passes.
 */
export class DecodedBudget {
  private bytes = 0;
  private requests = 0;

  constructor(readonly maxBytes: number) {}

  get inflightBytes(): number {
    return this.bytes;
  }

  /** Reserve `estimate` bytes for a decoded request; throws a retryable ProcessingError when full. */
  take(estimate: number): () => void {
    if (this.requests > 0 && this.bytes + estimate > this.maxBytes) {
      throw new ProcessingError(
        'throttled',
        `too much decoded request data in flight (limit ${this.maxBytes} bytes, receiver.maxInflightDecodedMiB); retry later`,
        'memory-limit',
      );
    }
    this.bytes += estimate;
    this.requests++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.bytes -= estimate;
      this.requests--;
    };
  }
}

/** Heap bytes a decoded record costs beside its strings (record, attributes, facts, annotations). */
const BYTES_PER_RECORD = 1024;

/** Estimated heap bytes of a decoded request while it is annotated and forwarded. */
export function decodedEstimate(wireBytes: number, records: number): number {
  // The strings and the re-encoded output are each about as large as the wire bytes.
  return records * BYTES_PER_RECORD + 2 * wireBytes;
}

/**
 * Share of V8's heap limit decoded requests may take when receiver.maxInflightDecodedMiB is 0. The
 * decoded records are not all the heap they cost: garbage of their decoding and annotating, and the
 * retained state of everything before them, share the same heap, and the closer it runs to its limit
 * the longer its collections hold the event loop.
 */
const HEAP_SHARE = 0.125;

/** The budget in bytes: the configured MiB, or (0) a share of this process's heap limit. */
export function decodedBudgetBytes(configuredMiB: number): number {
  if (configuredMiB > 0) return Math.floor(configuredMiB * 1024 * 1024);
  return Math.floor(getHeapStatistics().heap_size_limit * HEAP_SHARE);
}
