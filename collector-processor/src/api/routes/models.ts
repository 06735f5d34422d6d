import { ModelConfig, ModelVersion, TrainingJob, type ModelConfig as ModelConfigT } from '@anomalog/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors';
import { asBody, errors, IdParams, ServiceParams, VersionParams } from '../schemas';
import type { ApiDeps } from '../deps';

type ServiceRoute = { Params: { service: string } };

/** Model configuration, training jobs and versions of one service. */
export function modelRoutes(app: FastifyInstance, { control }: ApiDeps): void {
  app.get<ServiceRoute>(
    '/services/:service/model',
    {
      schema: {
        tags: ['models'],
        summary: "The service's model configuration (the default when none was set)",
        params: ServiceParams,
        response: { 200: ModelConfig, ...errors(404) },
      },
    },
    async (request) => control.getConfig(request.params.service),
  );

  app.put<ServiceRoute & { Body: ModelConfigT }>(
    '/services/:service/model',
    {
      schema: {
        tags: ['models'],
        summary: 'Replace the model configuration (defaults filled); applies from the next training',
        params: ServiceParams,
        body: asBody(ModelConfig),
        response: { 200: ModelConfig, ...errors(404) },
      },
    },
    async (request) => control.setConfig(request.params.service, request.body),
  );

  app.post<ServiceRoute>(
    '/services/:service/train',
    {
      schema: {
        tags: ['models'],
        summary: "Start (re)training on the service's recent records; 409 while one runs",
        params: ServiceParams,
        response: { 202: TrainingJob, ...errors(404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(control.train(request.params.service)),
  );

  app.get<{ Params: { id: string } }>(
    '/jobs/:id',
    {
      schema: {
        tags: ['models'],
        summary: 'Follow a training job',
        params: IdParams,
        response: { 200: TrainingJob, ...errors(404) },
      },
    },
    async (request) => control.job(request.params.id) ?? Promise.reject(notFound(`job "${request.params.id}"`)),
  );

  app.get<ServiceRoute>(
    '/services/:service/versions',
    {
      schema: {
        tags: ['models'],
        summary: 'Model versions with training range and metrics',
        params: ServiceParams,
        response: { 200: Type.Array(ModelVersion), ...errors(404) },
      },
    },
    async (request) => control.versions(request.params.service),
  );

  app.post<{ Params: { service: string; version: number } }>(
    '/services/:service/versions/:version/activate',
    {
      schema: {
        tags: ['models'],
        summary: 'Roll back (or forward) to a stored version; it scores from the next record',
        params: VersionParams,
        response: { 200: ModelVersion, ...errors(404) },
      },
    },
    async (request) => {
      const { service, version } = request.params;
      const activated = await control.activate(service, version);
      if (!activated) throw notFound(`version ${version} of service "${service}"`);
      return activated;
    },
  );
}
