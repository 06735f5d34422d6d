import { ProcessingError } from '../otlp/errors';

/**
 * Bounds the work held at once: number of requests and bytes of request bodies. Over a bound, a
 * request is refused with a retryable answer right away, so a slow downstream turns into
 * backpressure on the upstream (whose queue keeps the data) instead of memory growth here.
 */
/** Who asks for a slot: the peer address, and whether its body is still on the wire (HTTP). */
export interface Requester {
  address: string;
  receiving?: boolean;
}

/** Frees the slot; `received()` tells that the body has arrived, so the slot leaves the receiving share. */
export type Release = (() => void) & { received(): void };

export interface AdmissionShares {
  /** Requests one address may hold at once. */
  perClient: number;
  /** Requests still receiving their body that may be held at once. */
  receiving: number;
}

export class Admission {
  private requests = 0;
  private bytes = 0;
  private receivingCount = 0;
  private readonly perClient = new Map<string, number>();
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  private readonly shares: AdmissionShares;

  constructor(
    private readonly maxRequests: number,
    private readonly maxBytes: number,
    shares: Partial<AdmissionShares> = {},
  ) {
    this.shares = { perClient: shares.perClient ?? maxRequests, receiving: shares.receiving ?? maxRequests };
  }

  get inflight(): number {
    return this.requests;
  }

  get inflightBytes(): number {
    return this.bytes;
  }

  /** Take a slot for a request of `size` bytes; throws a retryable ProcessingError when full. */
  admit(size: number, from?: Requester): Release {
    if (this.draining) throw new ProcessingError('shutting-down', 'processor is shutting down', 'shutting-down');
    if (this.requests >= this.maxRequests) {
      throw new ProcessingError(
        'throttled',
        `too many concurrent requests (limit ${this.maxRequests}); retry later`,
        'concurrency-limit',
      );
    }
    const held = from ? (this.perClient.get(from.address) ?? 0) : 0;
    if (from && held >= this.shares.perClient) {
      throw new ProcessingError(
        'throttled',
        `too many concurrent requests from ${from.address} (limit ${this.shares.perClient} per client); retry later`,
        'client-limit',
      );
    }
    const receiving = from?.receiving === true;
    if (receiving && this.receivingCount >= this.shares.receiving) {
      throw new ProcessingError(
        'throttled',
        `too many requests still sending their body (limit ${this.shares.receiving}); retry later`,
        'receiving-limit',
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
    if (from) this.perClient.set(from.address, held + 1);
    if (receiving) this.receivingCount++;
    let released = false;
    let stillReceiving = receiving;
    const received = () => {
      if (!stillReceiving) return;
      stillReceiving = false;
      this.receivingCount--;
    };
    const release = () => {
      if (released) return;
      released = true;
      received();
      this.requests--;
      this.bytes -= size;
      if (from) this.leave(from.address);
      if (this.requests === 0) for (const w of this.idleWaiters.splice(0)) w();
    };
    return Object.assign(release, { received });
  }

  private leave(address: string): void {
    const n = (this.perClient.get(address) ?? 1) - 1;
    if (n <= 0) this.perClient.delete(address);
    else this.perClient.set(address, n);
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
