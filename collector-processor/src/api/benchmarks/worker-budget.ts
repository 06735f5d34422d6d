import { getHeapStatistics } from 'node:v8';

/**
 * The memory a benchmark worker may use. The worker is a thread of the processor, so its heap comes
 * out of the same budget as the processor's (the heap cap plus what V8 and the runtime hold beside
 * it): a share of the processor's own heap limit, not a fixed size, so that raising the cap raises
 * both and a processor started small never holds a worker larger than itself.
 */
const HEAP_SHARE = 0.25;
/** Below this a worker cannot load the benchmark framework at all. */
const MIN_HEAP_MB = 64;
/**
 * Heap bytes per byte of upload while it is parsed and scored: the decoded text, the lines split
 * from it, and the parsed records and their templates.
 */
const HEAP_BYTES_PER_UPLOAD_BYTE = 3;

const MB = 1024 * 1024;

/** Old-generation cap (MB) of a benchmark worker of a processor whose heap limit is `heapLimitBytes`. */
export function benchmarkWorkerHeapMb(heapLimitBytes = getHeapStatistics().heap_size_limit): number {
  return Math.max(MIN_HEAP_MB, Math.floor((heapLimitBytes * HEAP_SHARE) / MB));
}

/** The run's failure when its dataset does not fit: says what to change. */
export function datasetTooLarge(detail: string, heapMb: number): string {
  return (
    `dataset too large for api.benchmark memory budget: ${detail}; a benchmark worker may use ${heapMb} MB of heap, ` +
    'a quarter of the processor heap cap (ANOMALOG_MAX_HEAP_MB): raise the cap or upload a smaller sample'
  );
}

/** Throws (the run then fails) when an upload of `bytes` cannot be parsed within `heapMb`. */
export function checkUploadFits(bytes: number, heapMb: number): void {
  const needMb = Math.ceil((bytes * HEAP_BYTES_PER_UPLOAD_BYTE) / MB);
  if (needMb > heapMb)
    throw new Error(datasetTooLarge(`the upload is ${Math.ceil(bytes / MB)} MB and needs about ${needMb} MB`, heapMb));
}
