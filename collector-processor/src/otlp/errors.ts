/**
 * Why a request was not accepted, in transport-neutral terms. The receivers map these to gRPC
 * status codes and HTTP statuses (see receive/answers.ts).
 */
export type Refusal =
  /** The request itself is wrong; retrying it cannot help (gRPC INVALID_ARGUMENT, HTTP 400). */
  | 'bad-input'
  /** We are over a limit of our own; retry later (gRPC UNAVAILABLE, HTTP 429 + Retry-After). */
  | 'throttled'
  /** Downstream is down, slow or asked us to retry (gRPC UNAVAILABLE, HTTP 503 + Retry-After). */
  | 'downstream-unavailable'
  /** Downstream refused the data for good; its answer is passed up as it came. */
  | 'downstream-rejected'
  /** We are shutting down (gRPC UNAVAILABLE, HTTP 503). */
  | 'shutting-down';

export class ProcessingError extends Error {
  constructor(
    readonly refusal: Refusal,
    message: string,
    /** Reason label for the `requests_rejected_total` metric, e.g. "malformed", "oversize". */
    readonly reason: string,
    /** Downstream's own answer when `refusal` is downstream-rejected. */
    readonly downstream?: { grpcCode?: number; httpStatus?: number },
  ) {
    super(message);
    this.name = 'ProcessingError';
  }
}

/** Malformed input: names the problem and where in the message it was found. */
export class DecodeError extends ProcessingError {
  constructor(message: string, reason = 'malformed') {
    super('bad-input', message, reason);
    this.name = 'DecodeError';
  }
}
