import swagger from '@fastify/swagger';
import { API_PREFIX, type ApiConfig } from '@anomalog/shared';
import type { Static } from '@sinclair/typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { formatHostPort, splitHostPort } from '../net/listen';
import { bearerAuthHook, isLoopbackHost, resolveAuth } from './auth';
import { requestGuardHook, type GuardOptions } from './guard';
import { errorHandler, notFoundHandler } from './errors';
import type { ApiDeps } from './deps';
import { benchmarkRoutes } from './routes/benchmarks';
import { parseJson } from './json-body';
import { modelRoutes } from './routes/models';
import { observeRoutes } from './routes/observe';
import { triageRoutes } from './routes/triage';

export type { ApiDeps };

export interface RunningApi {
  /** Bound "host:port". */
  address: string;
  /** Base URL, e.g. "http://127.0.0.1:8080". */
  url: string;
  /** Whether a bearer token is required. */
  authRequired: boolean;
  app: FastifyInstance;
  close(): Promise<void>;
}

const MiB = 1024 * 1024;
/** Everything but benchmark uploads: JSON bodies here are small (a feedback, a model configuration). */
const DEFAULT_BODY_LIMIT = 1 * MiB;
const DEFAULT_UPLOAD_LIMIT = 64 * MiB;
/** Long enough for the largest benchmark upload on a slow link; a stalled one is cut. */
const API_REQUEST_TIMEOUT_MS = 120_000;
const API_IDLE_TIMEOUT_MS = 30_000;
const API_HEADERS_TIMEOUT_MS = 10_000;

/**
 * The Host allow-list in effect: the configured one, else loopback names plus the endpoint's own
 * address, or any host when a token is required (a rebound page cannot send the token).
 */
function guardOptions(config: Static<typeof ApiConfig>, authRequired: boolean): GuardOptions {
  if (config.allowedHosts.length > 0)
    return { allowedHosts: config.allowedHosts, allowedOrigins: config.allowedOrigins };
  if (authRequired) return { allowedHosts: ['*'], allowedOrigins: config.allowedOrigins };
  const { host } = splitHostPort(config.endpoint);
  const own = host === '' || host === '0.0.0.0' || host === '::' || isLoopbackHost(host) ? [] : [host];
  const loopback = ['localhost', '127.0.0.1', '::1'];
  return { allowedHosts: own.length ? [...loopback, ...own] : [], allowedOrigins: config.allowedOrigins };
}

/** Build the app without listening (tests use `app.inject`). */
export async function buildApi(
  config: Static<typeof ApiConfig>,
  deps: ApiDeps,
  opts: { uploadLimitBytes?: number } = {},
): Promise<{ app: FastifyInstance; authRequired: boolean }> {
  const authRequired = resolveAuth(config.endpoint, config.auth, config.token);
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'api' }) as FastifyBaseLogger,
    disableRequestLogging: true,
    bodyLimit: DEFAULT_BODY_LIMIT,
    // A client trickling a request holds a socket and its buffer: every phase has a deadline
    // (headers below, after the server exists).
    requestTimeout: API_REQUEST_TIMEOUT_MS,
    connectionTimeout: API_IDLE_TIMEOUT_MS,
    keepAliveTimeout: 5_000,
    ajv: { customOptions: { allErrors: true } },
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.server.headersTimeout = API_HEADERS_TIMEOUT_MS;
  app.setErrorHandler(errorHandler(deps.logger));
  app.setNotFoundHandler(notFoundHandler);
  app.addHook('onRequest', requestGuardHook(guardOptions(config, authRequired)));
  if (authRequired) app.addHook('onRequest', bearerAuthHook(config.token));

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Anomalog processor API',
        version: deps.version,
        description: 'Read and steer the live log anomaly models. See docs/api.md.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: authRequired ? [{ bearer: [] }] : [],
    },
  });
  await app.register(
    async (api) => {
      observeRoutes(api, deps);
      modelRoutes(api, deps);
      benchmarkRoutes(api, deps, opts.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT);
      if (deps.triage) triageRoutes(api, deps, deps.triage);
    },
    { prefix: API_PREFIX },
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return { app, authRequired };
}

/**
 * The HTTP API for the Grafana app and scripts (docs/api.md). Refuses to start when a token is
 * required (api.auth=on, or auto on a non-loopback endpoint) but api.token is empty.
 */
export async function startApiServer(
  config: Static<typeof ApiConfig>,
  deps: ApiDeps,
  opts: { uploadLimitBytes?: number } = {},
): Promise<RunningApi> {
  const { app, authRequired } = await buildApi(config, deps, opts);
  const { host, port } = splitHostPort(config.endpoint);
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    throw new Error(`API cannot listen on ${config.endpoint}: ${(err as Error).message}`);
  }
  const bound = formatHostPort(host, (app.server.address() as AddressInfo).port);
  deps.logger.info({ api: bound, auth: authRequired ? 'bearer token' : 'off' }, 'API listening');
  return {
    address: bound,
    url: `http://${bound}`,
    authRequired,
    app,
    close: async () => {
      await app.close();
    },
  };
}
