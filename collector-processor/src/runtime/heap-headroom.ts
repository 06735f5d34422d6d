/**
 * Keeps V8's old-generation limit at least `headroomMb` above the live heap.
 *
 * V8 sets the next full-GC limit at the live size times a growing factor that shrinks with the heap
 * cap: under `npm start`'s cap a service with a small live heap got a limit only a little above it,
 * less than its young generation promotes between full GCs plus the request buffers allocated outside
 * the heap meanwhile (V8 counts those against the same limit), and V8 then kept starting incremental
 * marking, which cost a large share of a core under steady traffic (bench:throughput measures it).
 * A fixed larger factor does the same for small heaps but lets a large one (many open sessions) grow
 * toward the cap, which raises peak RSS (bench:memory); so the factor follows the live size:
 * headroom / live while that is above V8's own factor, V8's own (flag 0) once the heap is large.
 *
 * `--heap-growing-percent` is read each time V8 recomputes its limits, so setting it after a full GC
 * applies from the next one.
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/** V8's own factor under a few-hundred-MB cap is about 1.4: below this percent, leave it to V8. */
export const V8_OWN_PERCENT = 45;
const MAX_PERCENT = 100;

/** The growing percent that puts the next limit `headroomBytes` above `liveBytes` (0: V8's own). */
export function growingPercentFor(liveBytes: number, headroomBytes: number): number {
  if (liveBytes <= 0) return MAX_PERCENT;
  const percent = Math.ceil((100 * headroomBytes) / liveBytes);
  return percent <= V8_OWN_PERCENT ? 0 : Math.min(MAX_PERCENT, percent);
}

export interface HeapHeadroom {
  /** The percent the process runs with now (0: V8's own factor). */
  readonly percent: number;
  stop(): void;
}

/**
 * The flag is process-wide, so every holder (several services in one process, as tests run them)
 * shares one observer and the largest headroom asked for; the flag goes back to V8's own factor when
 * the last holder stops.
 */
const holders = new Set<{ bytes: number }>();
let observer: PerformanceObserver | undefined;
let percent = 0;

function apply(): void {
  let headroom = 0;
  for (const h of holders) headroom = Math.max(headroom, h.bytes);
  setPercent(growingPercentFor(getHeapStatistics().used_heap_size, headroom));
}

function setPercent(next: number): void {
  if (next === percent) return;
  percent = next;
  setFlagsFromString(`--heap-growing-percent=${next}`);
}

const isMajor = (e: PerformanceEntry) =>
  (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;

export function keepHeapHeadroom(headroomMb = 48): HeapHeadroom {
  const holder = { bytes: headroomMb * 1024 * 1024 };
  holders.add(holder);
  if (!observer) {
    observer = new PerformanceObserver((list) => {
      if (list.getEntries().some(isMajor)) apply();
    });
    observer.observe({ entryTypes: ['gc'] });
  }
  apply();
  return {
    get percent() {
      return percent;
    },
    stop() {
      if (!holders.delete(holder)) return;
      if (holders.size > 0) return apply();
      observer?.disconnect();
      observer = undefined;
      setPercent(0);
    },
  };
}
