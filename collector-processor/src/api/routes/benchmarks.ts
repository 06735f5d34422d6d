import { BenchmarkRequest, BenchmarkRun, type BenchmarkRequest as BenchmarkRequestT } from '@anomalog/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { HttpError, notFound } from '../errors';
import { QUEUE_FULL_RETRY_AFTER_S } from '../benchmarks/runner';
import { readBenchmarkBody, removeSpoolFile, spoolFileOf } from '../benchmarks/upload-spool';
import { errors, IdParams } from '../schemas';
import type { ApiDeps } from '../deps';

/** Run the benchmark framework on a named dataset or an uploaded labeled file, off the event loop. */
export function benchmarkRoutes(app: FastifyInstance, { benchmarks }: ApiDeps, uploadLimitBytes: number): void {
  app.get(
    '/benchmarks/datasets',
    {
      schema: {
        tags: ['benchmarks'],
        summary: 'Named labeled datasets available to POST /benchmarks',
        response: { 200: Type.Array(Type.String()), ...errors(503) },
      },
    },
    async () => benchmarks.datasets(),
  );

  app.get(
    '/benchmarks',
    {
      schema: {
        tags: ['benchmarks'],
        summary: 'Benchmark runs kept in memory, newest first',
        response: { 200: Type.Array(BenchmarkRun), ...errors() },
      },
    },
    async () => benchmarks.runs(),
  );

  // Its own plugin: the body parser below is this route's only (upload-spool.ts).
  void app.register(async (route) => {
    /** Bodies handed to the runner, which owns their spool files from then on. */
    const handed = new WeakSet<object>();
    route.removeContentTypeParser('application/json');
    route.addContentTypeParser('application/json', (_request, payload, done) => {
      readBenchmarkBody(payload, uploadLimitBytes).then(
        (body) => done(null, body),
        (err: Error) => done(err, undefined),
      );
    });
    route.post<{ Body: BenchmarkRequestT }>(
      '/benchmarks',
      {
        bodyLimit: uploadLimitBytes,
        // A body that could never run, or that the queue has no room for, is refused before it is read.
        onRequest: async (request) => {
          const length = Number(request.headers['content-length']);
          if (length > 0) benchmarks.checkUploadFits(length);
          if (length > 0 && !benchmarks.admitsUpload(length))
            throw new HttpError(
              429,
              `benchmark queue full: no room for a ${length}-byte upload (api.maxQueuedUploadMiB); retry when a run has finished`,
              QUEUE_FULL_RETRY_AFTER_S,
            );
        },
        // A spooled body refused before the runner took it (its checks failed) leaves no file behind.
        onResponse: async (request) => {
          if (!handed.has(request.body)) removeSpoolFile(spoolFileOf(request.body));
        },
        schema: {
          tags: ['benchmarks'],
          summary:
            'Queue a benchmark run (one runs at a time, in a worker thread); follow it with GET /benchmarks/{id}',
          description:
            'A body over 1 MiB is written to a temporary file as it arrives and parsed by the benchmark worker: ' +
            'the fields besides upload.log and upload.labels are checked at once (400), the contents of those two ' +
            'when the run starts (a fault ends the run as failed). An upload too large for the benchmark ' +
            "worker's heap (a quarter of the processor's heap cap) is refused with 413 before its body is read.",
          body: BenchmarkRequest,
          response: { 202: BenchmarkRun, ...errors(413, 429, 503) },
        },
      },
      async (request, reply) => {
        handed.add(request.body);
        return reply.code(202).send(await benchmarks.start(request.body, spoolFileOf(request.body)));
      },
    );
  });

  app.get<{ Params: { id: string } }>(
    '/benchmarks/:id',
    {
      schema: {
        tags: ['benchmarks'],
        summary: 'A benchmark run: state, progress and results',
        params: IdParams,
        response: { 200: BenchmarkRun, ...errors(404) },
      },
    },
    async (request) =>
      benchmarks.run(request.params.id) ?? Promise.reject(notFound(`benchmark "${request.params.id}"`)),
  );

  app.delete<{ Params: { id: string } }>(
    '/benchmarks/:id',
    {
      schema: {
        tags: ['benchmarks'],
        summary:
          'Delete a finished benchmark run (also from the store); a queued or running one is 409: cancel it first',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      if (!(await benchmarks.delete(request.params.id))) throw notFound(`benchmark "${request.params.id}"`);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: string } }>(
    '/benchmarks/:id/cancel',
    {
      schema: {
        tags: ['benchmarks'],
        summary:
          'Stop a queued or running benchmark run (it ends as failed, "cancelled"); a finished run is returned as it is',
        params: IdParams,
        response: { 200: BenchmarkRun, ...errors(404) },
      },
    },
    async (request) =>
      (await benchmarks.cancel(request.params.id)) ?? Promise.reject(notFound(`benchmark "${request.params.id}"`)),
  );
}
