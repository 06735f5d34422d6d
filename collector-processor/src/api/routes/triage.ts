import { randomUUID } from 'node:crypto';
import {
  AggregateAnswer,
  AggregateQuery,
  Incident,
  IncidentDetail,
  IncidentPage,
  IncidentQuery,
  IncidentStatusChange,
  Suppression,
  SuppressionRequest,
  type AggregateQuery as AggregateQueryT,
  type IncidentQuery as IncidentQueryT,
  type IncidentStatusChange as IncidentStatusChangeT,
  type Suppression as SuppressionT,
  type SuppressionRequest as SuppressionRequestT,
} from '@anomalog/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { HttpError, notFound } from '../errors';
import { errors, IdParams } from '../schemas';
import { toIsoTime } from '../time';
import type { ApiDeps } from '../deps';

/** Anomalies shown with an incident at most (its `count` says how many it had). */
const INCIDENT_RECORDS = 200;

/** Incidents, aggregates for timelines, and suppressions: what a user on call triages with. */
export function triageRoutes(app: FastifyInstance, deps: ApiDeps, triage: NonNullable<ApiDeps['triage']>): void {
  const { store, suppressions } = triage;

  app.get<{ Querystring: IncidentQueryT }>(
    '/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Incidents (anomalies grouped by service and template or session), last seen first',
        querystring: IncidentQuery,
        response: { 200: IncidentPage, ...errors() },
      },
    },
    async (request) => {
      const q = request.query;
      return store.listIncidents({ ...q, from: toIsoTime(q.from, 'from'), to: toIsoTime(q.to, 'to') });
    },
  );

  const detail = async (id: string) => {
    const incident = await store.getIncident(id);
    if (!incident) throw notFound('incident');
    const records = await store.incidentRecords(id, INCIDENT_RECORDS);
    const own = (await store.listSuppressions()).filter((s) => s.incidentId === id);
    return { ...incident, records, suppressions: own };
  };

  app.get<{ Params: { id: string } }>(
    '/incidents/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'One incident with its anomalies (newest first) and the suppressions made from it',
        params: IdParams,
        response: { 200: IncidentDetail, ...errors(404) },
      },
    },
    async (request) => detail(request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: IncidentStatusChangeT }>(
    '/incidents/:id',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Set the status of an incident (open, acknowledged, resolved, normal)',
        params: IdParams,
        body: IncidentStatusChange,
        response: { 200: Incident, ...errors(404) },
      },
    },
    async (request) =>
      (await store.setIncidentStatus(request.params.id, request.body.status)) ?? Promise.reject(notFound('incident')),
  );

  app.get<{ Querystring: AggregateQueryT }>(
    '/aggregate',
    {
      schema: {
        tags: ['anomalies'],
        summary: 'Anomaly counts and score quantiles per time bucket, service and detector (at most 1,000 buckets)',
        querystring: AggregateQuery,
        response: { 200: AggregateAnswer, ...errors() },
      },
    },
    async (request) => {
      const q = request.query;
      return store.aggregate({ ...q, from: toIsoTime(q.from, 'from')!, to: toIsoTime(q.to, 'to')! });
    },
  );

  app.get(
    '/suppressions',
    {
      schema: {
        tags: ['suppressions'],
        summary: 'Suppressions, newest first (expired ones stay listed until pruned with the anomalies)',
        response: { 200: Type.Array(Suppression), ...errors() },
      },
    },
    async () => store.listSuppressions(),
  );

  app.post<{ Body: SuppressionRequestT }>(
    '/suppressions',
    {
      schema: {
        tags: ['suppressions'],
        summary:
          'Mark normal: flagged records of this service and template (and detector) pass as normal from now on, until deleted or expired',
        body: SuppressionRequest,
        response: { 201: Suppression, ...errors(404) },
      },
    },
    async (request, reply) => {
      const r = request.body;
      const nowMs = Date.now();
      if (r.incidentId !== undefined && !(await store.getIncident(r.incidentId))) throw notFound('incident');
      const anomaly = r.anomalyId !== undefined ? await deps.store.getAnomaly(r.anomalyId) : undefined;
      if (r.anomalyId !== undefined && !anomaly) throw notFound('anomaly');
      if (anomaly && (anomaly.service !== r.service || anomaly.templateId !== r.templateId))
        throw new HttpError(400, 'body/anomalyId must be an anomaly of this service and template');
      const template = deps.control.templates(r.service).find((t) => t.templateId === r.templateId)?.template;
      const s: SuppressionT = {
        id: randomUUID(),
        service: r.service,
        templateId: r.templateId,
        ...((template ?? anomaly?.template) ? { template: template ?? anomaly?.template } : {}),
        ...(r.detector !== undefined ? { detector: r.detector } : {}),
        createdAt: new Date(nowMs).toISOString(),
        ...(r.durationS !== undefined ? { expiresAt: new Date(nowMs + r.durationS * 1000).toISOString() } : {}),
        ...(r.comment !== undefined ? { comment: r.comment } : {}),
        ...(r.incidentId !== undefined ? { incidentId: r.incidentId } : {}),
      };
      await store.insertSuppression(s);
      suppressions.add(s);
      if (r.incidentId !== undefined) await store.setIncidentStatus(r.incidentId, 'normal');
      // Kept as feedback: the anomaly shows suppressed and the next training learns its record as normal.
      if (anomaly) await deps.control.feedback({ kind: 'anomaly-normal', service: r.service, anomalyId: anomaly.id });
      return reply.code(201).send(s);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/suppressions/:id',
    {
      schema: {
        tags: ['suppressions'],
        summary: 'Undo a suppression: flagged records of its template are anomalies again from now on',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const s = (await store.listSuppressions()).find((x) => x.id === id);
      if (!s) throw notFound('suppression');
      await store.deleteSuppression(id);
      suppressions.remove(id);
      if (s.incidentId !== undefined) {
        const incident = await store.getIncident(s.incidentId);
        if (incident?.status === 'normal') await store.setIncidentStatus(s.incidentId, 'open');
      }
      return reply.code(204).send();
    },
  );
}
