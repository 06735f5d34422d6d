import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ControlError } from '../lifecycle/control';
import type { Logger } from '../telemetry/logger';

/** An error with the HTTP status it should be answered with. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Seconds after which a retry may succeed (sent as Retry-After). */
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, `${what} not found`);

export interface FieldError {
  /** Where the problem is, e.g. "body/detectors/lstm/params/window". */
  path: string;
  message: string;
}

interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turn Ajv's issues into field paths a user can find in their request. */
export function fieldErrors(context: string, issues: readonly AjvIssue[]): FieldError[] {
  return issues.map((issue) => {
    let path = `${context}${issue.instancePath ?? ''}`;
    const p = issue.params ?? {};
    if (typeof p.missingProperty === 'string') path += `/${p.missingProperty}`;
    if (typeof p.additionalProperty === 'string') path += `/${p.additionalProperty}`;
    return { path, message: issue.message ?? 'is invalid' };
  });
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

function body(statusCode: number, message: string, errors?: FieldError[]) {
  return { statusCode, error: REASONS[statusCode] ?? 'Error', message, ...(errors ? { errors } : {}) };
}

const CONTROL_STATUS: Record<ControlError['kind'], number> = {
  'unknown-service': 404,
  'unknown-version': 404,
  busy: 409,
  invalid: 400,
};

function statusOf(err: Error & { statusCode?: number }): number {
  if (err instanceof ControlError) return CONTROL_STATUS[err.kind];
  // The store's "query the caller can fix" (store/errors.ts), matched by name to keep api/ off store internals.
  if (err.name === 'StoreQueryError') return 400;
  return err.statusCode ?? 500;
}

/** Every failure answers JSON `{statusCode, error, message, errors?}`; 5xx details go to the log only. */
export function errorHandler(logger: Logger) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    if (err.validation) {
      const errors = fieldErrors(err.validationContext ?? 'request', err.validation as AjvIssue[]);
      const message = errors.map((e) => `${e.path} ${e.message}`).join('; ');
      void reply.code(400).send(body(400, message, errors));
      return;
    }
    const status = statusOf(err);
    if (status >= 500) {
      logger.error({ err, method: request.method, url: request.url }, 'API request failed');
      void reply.code(status).send(body(status, 'internal error (see the processor log)'));
      return;
    }
    if (err instanceof HttpError && err.retryAfterS !== undefined)
      void reply.header('retry-after', String(err.retryAfterS));
    void reply.code(status).send(body(status, err.message));
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send(body(404, `no route ${request.method} ${request.url.split('?')[0]}`));
}
