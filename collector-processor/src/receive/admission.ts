import { ProcessingError } from '../otlp/errors';

/**
 * Bounds the work held at once: number of requests and bytes of request bodies. Over a bound, a
 * request is refused with a retryable answer right away, so a slow downstream turns into
 * backpressure on the upstream (whose queue keeps the data) instead of memory growth here.
 */
export class Admission {
  private requests = 0;
  private bytes = 0;
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly maxRequests: number,
    private readonly maxBytes: number,
  ) {}

  get inflight(): number {
    return this.requests;
  }

  get inflightBytes(): number {
    return this.bytes;
  }

  /** Take a slot for a request of `size` bytes; throws a retryable ProcessingError when full. */
  admit(size: number): () => void {
    if (this.draining) throw new ProcessingError('shutting-down', 'processor is shutting down', 'shutting-down');
    if (this.requests >= this.maxRequests) {
      throw new ProcessingError(
        'throttled',
        `too many concurrent requests (limit ${this.maxRequests}); retry later`,
        'concurrency-limit',
      );
    }
    if (this.bytes + size > this.maxBytes && this.requests > 0) {
      throw new ProcessingError(
        'throttled',
        `too much request data in flight (limit ${this.maxBytes} bytes); retry later`,
        'memory-limit',
      );
    }
    this.requests++;
    this.bytes += size;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.requests--;
      this.bytes -= size;
      if (this.requests === 0) for (const w of this.idleWaiters.splice(0)) w();
    };
  }

  /** Refuse new requests from now on. */
  drain(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Resolves when no request is in flight, or after timeoutMs (returns false then). */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.requests === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
