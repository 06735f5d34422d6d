import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { ModelConfig, validateWithDefaults, type Anomaly, type BenchmarkRun } from '@anomalog/shared';
import { PROXY_BASE } from '../src/constants';
import type { AppSettings } from './grafanaProxy';
import { listen, serveHarness, servePluginSettings } from './serve';

/** A small stand-in for the processor API (issue 6 not landed yet), answering with the shared schemas' shapes. */
export function startFakeApi(): Promise<{
  server: Server;
  origin: string;
  saved: () => unknown;
  settings: AppSettings;
  settingsPosts: unknown[];
}> {
  const now = Date.now();
  // The app's settings in "Grafana": empty until the config page saves them.
  const settings: AppSettings = { jsonData: {}, secureJsonData: {} };
  const settingsPosts: unknown[] = [];
  const anomalies: Anomaly[] = Array.from({ length: 12 }, (_, i) => ({
    id: `a${i}`,
    time: new Date(now - i * 60_000).toISOString(),
    service: i % 2 ? 'checkout' : 'payments',
    templateId: `t${i % 3}`,
    template: ['Connection to <*> refused', 'Timeout after <*> ms', 'User <*> logged in'][i % 3],
    message: `line ${i}`,
    score: 0.5 + i / 30,
    detector: 'isolation-forest',
    reason: 'rare template count vector',
    suppressed: false,
  }));
  const defaults = validateWithDefaults(ModelConfig, {});
  let model: unknown = defaults.ok ? defaults.value : {};
  const run: BenchmarkRun = {
    id: 'r1',
    dataset: 'hdfs-mini',
    detectors: ['isolation-forest'],
    state: 'done',
    progress: 1,
    startedAt: new Date(now).toISOString(),
    results: [
      {
        dataset: 'hdfs-mini',
        detector: 'isolation-forest',
        precision: 0.91,
        recall: 0.84,
        f1: 0.874,
        roc_auc: 0.95,
        pr_auc: 0.9,
        fpr: 0.01,
        fit_s: 0.4,
        score_s: 0.2,
        records_per_s: 50000,
        roc: [
          [0, 0],
          [0.05, 0.7],
          [0.2, 0.9],
          [1, 1],
        ],
        pr: [
          [0, 1],
          [0.8, 0.9],
          [1, 0.3],
        ],
      },
    ],
  };
  const routes: Record<string, (body: unknown, url: URL) => unknown> = {
    'GET /api/v1/services': () => [
      {
        service: 'payments',
        status: 'scoring',
        recordsSeen: 9000,
        templates: 3,
        anomalies: 6,
        learningProgress: 1,
        activeVersion: 1,
      },
    ],
    'GET /api/v1/anomalies': (_b, url) => {
      const service = url.searchParams.get('service');
      const minScore = Number(url.searchParams.get('minScore') ?? 0);
      const items = anomalies.filter((a) => (!service || a.service === service) && a.score >= minScore);
      return { total: items.length, items };
    },
    'GET /api/v1/anomalies/a0': () => ({
      ...anomalies[0],
      severityText: 'ERROR',
      attributes: { retries: 3, 'log.template.id': 't0', 'http.route': '/checkout' },
      context: [{ time: anomalies[1].time, templateId: 't1', message: 'before', isAnomaly: false }],
      contextAfter: [{ time: anomalies[0].time, templateId: 't1', message: 'after', isAnomaly: false }],
      explanation: { reason: 'template t0 seen 40x more often than in training' },
    }),
    'GET /api/v1/services/payments/templates': () => [],
    'GET /api/v1/services/payments/model': () => model,
    'PUT /api/v1/services/payments/model': (body) => (model = body),
    'GET /api/v1/services/payments/versions': () => [
      {
        version: 1,
        service: 'payments',
        createdAt: new Date(now - 3600_000).toISOString(),
        trainedFrom: new Date(now - 7200_000).toISOString(),
        trainedTo: new Date(now - 3600_000).toISOString(),
        records: 9000,
        detectors: ['isolation-forest', 'one-class-svm', 'lof'],
        metrics: { 'isolation-forest_fit_s': 0.4, 'isolation-forest_train_flagged': 0.005 },
        active: true,
      },
    ],
    'GET /api/v1/benchmarks/datasets': () => ['hdfs-mini'],
    'GET /api/v1/benchmarks': () => [],
    'POST /api/v1/benchmarks': (body) => {
      run.name = (body as { name?: string }).name;
      return { ...run, state: 'running', progress: 0.3, results: [] };
    },
    'GET /api/v1/benchmarks/r1': () => run,
  };
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // the app calls Grafana's data-proxy URL; this fake answers for the processor behind it
    const pathname = url.pathname.startsWith(PROXY_BASE) ? url.pathname.slice(PROXY_BASE.length) : url.pathname;
    const route = routes[`${req.method} ${pathname}`];
    if (route) {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify(route(body ? JSON.parse(body) : undefined, url)));
    }
    res.statusCode = 404;
    res.end('{}');
  };
  const server = createServer((req, res) => {
    if (serveHarness(req, res) || servePluginSettings(req, res, settings, settingsPosts)) {
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handle(req, res, body));
  });
  return listen(server).then((origin) => ({ server, origin, saved: () => model, settings, settingsPosts }));
}
