import {
  AnomalyDetail,
  AnomalyPage,
  AnomalyQuery,
  Feedback,
  Health,
  ServiceSummary,
  TemplateInfo,
  type AnomalyQuery as AnomalyQueryT,
  type Feedback as FeedbackT,
} from '@anomalog/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { HttpError, notFound } from '../errors';
import { errors, FeedbackAnswer, IdParams, ServiceParams } from '../schemas';
import { toIsoTime } from '../time';
import type { ApiDeps } from '../deps';

/** Health, services, anomalies, templates and feedback: what the Grafana app reads and marks. */
export function observeRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const startedMs = Date.now();
  const { control, store } = deps;

  app.get(
    '/health',
    { schema: { tags: ['status'], summary: 'Liveness and version (no token needed)', response: { 200: Health } } },
    async () => ({ status: 'ok', version: deps.version, uptimeS: (Date.now() - startedMs) / 1000 }),
  );

  app.get(
    '/services',
    {
      schema: {
        tags: ['services'],
        summary: 'Services seen, with their model status',
        response: { 200: Type.Array(ServiceSummary), ...errors() },
      },
    },
    async () => control.services(),
  );

  app.get<{ Querystring: AnomalyQueryT }>(
    '/anomalies',
    {
      schema: {
        tags: ['anomalies'],
        summary: 'Query anomalies (time range, service, detector, template, min score, sort, paging)',
        querystring: AnomalyQuery,
        response: { 200: AnomalyPage, ...errors() },
      },
    },
    async (request) => {
      const q = request.query;
      return store.queryAnomalies({ ...q, from: toIsoTime(q.from, 'from'), to: toIsoTime(q.to, 'to') });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/anomalies/:id',
    {
      schema: {
        tags: ['anomalies'],
        summary: 'One anomaly with its record attributes, session context and explanation',
        params: IdParams,
        response: { 200: AnomalyDetail, ...errors(404) },
      },
    },
    async (request) => (await store.getAnomaly(request.params.id)) ?? Promise.reject(notFound('anomaly')),
  );

  app.get<{ Params: { service: string } }>(
    '/services/:service/templates',
    {
      schema: {
        tags: ['services'],
        summary: 'Templates of a service with counts and first/last seen',
        params: ServiceParams,
        response: { 200: Type.Array(TemplateInfo), ...errors(404) },
      },
    },
    async (request) => {
      const { service } = request.params;
      const templates = control.templates(service);
      if (templates.length === 0 && !control.services().some((s) => s.service === service)) {
        throw notFound(`service "${service}"`);
      }
      return templates;
    },
  );

  app.post<{ Body: FeedbackT }>(
    '/feedback',
    {
      schema: {
        tags: ['anomalies'],
        summary: 'Mark an anomaly or a template as normal: suppressed from now on and fed back to training',
        body: Feedback,
        response: { 200: FeedbackAnswer, ...errors(404) },
      },
    },
    async (request) => {
      const fb = request.body;
      if (fb.kind === 'anomaly-normal') {
        if (!fb.anomalyId) throw new HttpError(400, 'body/anomalyId is required when kind is "anomaly-normal"');
        if (!(await store.getAnomaly(fb.anomalyId))) throw notFound('anomaly');
      }
      if (fb.kind === 'template-normal' && !fb.templateId) {
        throw new HttpError(400, 'body/templateId is required when kind is "template-normal"');
      }
      await control.feedback(fb);
      return { status: 'recorded' as const };
    },
  );
}
