import { type DemoService, type SessionVars } from './services';
import { mulberry32 } from '../util/random';

/** Kinds of injected anomaly: a message never seen before, a session out of order, a burst of one line. */
export type AnomalyKind = 'unseen' | 'sequence' | 'burst';
export const ANOMALY_KINDS: readonly AnomalyKind[] = ['unseen', 'sequence', 'burst'];

export interface DemoRecord {
  /** Offset from the start of the run. */
  atMs: number;
  service: string;
  sessionKey: string;
  sessionId: string;
  body: string;
  severity: 'INFO' | 'WARN' | 'ERROR';
  /** Set on records that belong to an injected anomaly. */
  injected?: AnomalyKind;
}

export interface Injection {
  atMs: number;
  service: string;
  kind: AnomalyKind;
  sessionId: string;
}

export interface ScenarioOptions {
  durationMs: number;
  /** Records per second, all services together. */
  rate: number;
  services: readonly DemoService[];
  anomalies: readonly AnomalyKind[];
  /** Share of the run before the first anomaly, so models can learn normal behaviour first. */
  warmupShare: number;
  seed: number;
}

function sessionVars(service: DemoService, n: number): SessionVars {
  const prefix = service.name === 'storage' ? 'blk_' : service.name === 'web' ? 'req-' : 'job-';
  return { id: `${prefix}${(n * 7919 + 104729).toString(16)}`, n, host: `node-${n % 5}` };
}

function normalSession(service: DemoService, n: number): string[] {
  const vars = sessionVars(service, n);
  return service.lifecycle.map((make) => make(vars));
}

function anomalousSession(service: DemoService, n: number, kind: AnomalyKind): string[] {
  const vars = sessionVars(service, n);
  const normal = service.lifecycle.map((make) => make(vars));
  if (kind === 'unseen') return [normal[0], service.unseenError(vars), ...normal.slice(1)];
  if (kind === 'sequence') return [normal[normal.length - 1], ...normal.slice(1, -1).reverse()]; // missing start, reversed
  return [...normal.slice(0, 1), ...Array.from({ length: 30 }, () => normal[1]), ...normal.slice(2)];
}

/**
 * The whole run as timed records: sessions of each service interleaved at the requested rate, with
 * anomalous sessions at known times (evenly spread after the warm-up, kinds and services in turn).
 */
export function buildScenario(opts: ScenarioOptions): { records: DemoRecord[]; injections: Injection[] } {
  const random = mulberry32(opts.seed);
  const total = Math.max(1, Math.round((opts.rate * opts.durationMs) / 1000));
  const records: DemoRecord[] = [];
  const injections: Injection[] = [];
  const warmupMs = opts.durationMs * opts.warmupShare;
  const slots = opts.anomalies.length ? Math.max(1, Math.floor((opts.durationMs - warmupMs) / 1000 / 10)) : 0;
  const injectAt = Array.from(
    { length: slots },
    (_, i) => warmupMs + ((i + 0.5) * (opts.durationMs - warmupMs)) / slots,
  );
  let n = 0;
  let next = 0;
  while (records.length < total) {
    const atMs = (records.length / total) * opts.durationMs;
    const service = opts.services[Math.floor(random() * opts.services.length)];
    n++;
    let kind: AnomalyKind | undefined;
    if (next < injectAt.length && atMs >= injectAt[next]) {
      kind = opts.anomalies[next % opts.anomalies.length];
      next++;
    }
    const bodies = kind ? anomalousSession(service, n, kind) : normalSession(service, n);
    const sessionId = sessionVars(service, n).id;
    if (kind) injections.push({ atMs, service: service.name, kind, sessionId });
    const step = kind === 'burst' ? 0 : 1000 / opts.rate;
    bodies.forEach((body, i) =>
      records.push({
        atMs: atMs + i * step,
        service: service.name,
        sessionKey: service.sessionKey,
        sessionId,
        body,
        severity: kind === 'unseen' && i === 1 ? 'ERROR' : 'INFO',
        injected: kind,
      }),
    );
  }
  records.sort((a, b) => a.atMs - b.atMs);
  return { records, injections };
}
