import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { splitHostPort } from '../net/listen';

export type AuthMode = 'auto' | 'on' | 'off';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * Decide whether the API requires a bearer token. `auto` requires it whenever a token is configured
 * (an operator who set one expects it checked) and when the API listens on a non-loopback address,
 * because anyone on the network could then steer the models. Throws when a token is required but
 * none is configured, so the process never serves an open API by accident.
 */
export function resolveAuth(endpoint: string, mode: AuthMode, token: string): boolean {
  const { host } = splitHostPort(endpoint);
  const required = mode === 'on' || (mode === 'auto' && (token !== '' || !isLoopbackHost(host)));
  if (required && !token) {
    const why = mode === 'on' ? 'api.auth is "on"' : `api.endpoint ${endpoint} is not a loopback address`;
    throw new Error(
      `API token required: ${why}. Set api.token (ANOMALOG_API_TOKEN), listen on 127.0.0.1, or set api.auth=off explicitly.`,
    );
  }
  return required;
}

/** Compare digests so neither the content nor the length of the token leaks through timing. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Paths reachable without a token: liveness for probes. The API description needs the token too. */
export const PUBLIC_PATHS = new Set(['/api/v1/health']);

/** A Fastify onRequest hook answering 401 unless the request carries `Authorization: Bearer <token>`. */
export function bearerAuthHook(token: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = request.url.split('?')[0];
    if (PUBLIC_PATHS.has(path)) return;
    const header = request.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m || !tokenMatches(m[1].trim(), token)) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="anomalog"')
        .send({
          statusCode: 401,
          error: 'Unauthorized',
          message: m ? 'invalid API token' : 'missing bearer token (Authorization: Bearer <api.token>)',
        });
    }
  };
}
