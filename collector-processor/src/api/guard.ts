import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLoopbackHost } from './auth';

export interface GuardOptions {
  /** Host names (no port) answered; "*" any. */
  allowedHosts: string[];
  /** Extra browser origins allowed, exactly as sent ("https://grafana.example.com"). */
  allowedOrigins: string[];
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The host name of a Host header value ("[::1]:8080" → "::1", "a.b:80" → "a.b"). */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/**
 * Host and Origin allow-lists and a JSON content type on state-changing calls: a web page cannot
 * drive the API through the user's browser, neither by a form or a simple fetch (no JSON content type
 * without a CORS preflight, which this API never grants) nor by rebinding a DNS name to loopback.
 */
export function requestGuardHook(opts: GuardOptions) {
  const any = opts.allowedHosts.includes('*');
  const hosts = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
  const origins = new Set(opts.allowedOrigins.map((o) => o.toLowerCase().replace(/\/+$/, '')));
  const hostAllowed = (name: string) => any || hosts.has(name) || (hosts.size === 0 && isLoopbackHost(name));
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const host = request.headers.host;
    if (!host || !hostAllowed(hostName(host))) {
      return refuse(reply, 403, `Host "${host ?? ''}" is not allowed; add its name to api.allowedHosts`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !originAllowed(origin, hostAllowed, origins)) {
      return refuse(reply, 403, `Origin "${origin}" is not allowed; add it to api.allowedOrigins`);
    }
    if (STATE_CHANGING.has(request.method)) {
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') {
        return refuse(reply, 415, `${request.method} needs "content-type: application/json" (even with no body)`);
      }
    }
  };
}

function originAllowed(origin: string, hostAllowed: (name: string) => boolean, origins: Set<string>): boolean {
  const o = origin.toLowerCase();
  if (origins.has(o)) return true;
  try {
    return hostAllowed(hostName(new URL(o).host));
  } catch {
    return false; // "null" and other opaque origins
  }
}

async function refuse(reply: FastifyReply, statusCode: number, message: string): Promise<void> {
  const error = statusCode === 403 ? 'Forbidden' : 'Unsupported Media Type';
  await reply.code(statusCode).send({ statusCode, error, message });
}
