import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AnnotationStage, LogBatch } from './stage';
import { forEachRecord } from './stage';
import { TemplateMiner } from '../parse/miner';
import * as extract from '../parse/extract';
import { defaultMinerConfig, type MinerConfig } from '../parse/config';
import type { ServiceMinerStateStore } from '../parse/persistence';
import * as recordTime from '../otlp/record-time';
import type { ResourceLogs } from '../otlp/types';

// Bound once (see logs-decode.ts): a named import is a getter call per use in CommonJS (tsx and dist/ alike).
const { messageOf, serviceName } = extract;
const { recordTimeMs } = recordTime;

export interface TemplateStage extends AnnotationStage {
  readonly miner: TemplateMiner;
  /**
   * Read the old single whole-miner snapshot, if the store has one (call once before the first batch);
   * a broken one starts empty and is reported. Per-service snapshots are read lazily by process().
   */
  open(): Promise<void>;
  /** Write the snapshots of the services mined since the last write, now. */
  snapshot(): Promise<void>;
}

export interface TemplateStageOptions {
  /**
   * A service that had no record here for this long has its stored snapshot read again on its next
   * record, and taken when another replica wrote it meanwhile (the service was served elsewhere).
   * Default: `snapshot.intervalS`.
   */
  reloadAfterIdleMs?: number;
  /** Wall clock (tests). */
  now?: () => number;
}

/** Services whose snapshots one store write holds. */
const WRITE_CHUNK = 64;

/** What this stage knows of a service whose snapshot it read. */
interface Known {
  /** Wall ms of the service's last batch here. */
  lastMs: number;
  /** Fingerprint of the stored snapshot as last read or written here (undefined: none). */
  stored: string | undefined;
}

/**
 * The parse stage: gives every record its parse output (service, message, severity, template id/text,
 * tokens, time) in `batch.parsed`, by record position.
 *
 * With a store, templates are kept per service (`store.loadService`/`saveService`): the first batch
 * holding a service waits until that service's snapshot is read and restored, so no record of it is
 * mined before its templates are back (ids would diverge otherwise); later batches of the service go
 * straight through. Every `snapshot.intervalS` seconds (checked per batch) and on close, the services
 * mined since the last write are written, each on its own; a service this replica no longer receives
 * is never written again, so it cannot overwrite the replica that took it over.
 *
 * A batch that created templates also waits until the snapshots of the services it created them in
 * are written (one write, shared by the batches that arrive while a write runs): the
 * request is answered only after its new template ids are stored, so an id a record left with is
 * the same after the process is killed at any moment. A failed write is reported and does not hold
 * the records back; the periodic snapshot tries again.
 */
export function createTemplateStage(
  config: Partial<MinerConfig> = {},
  store?: ServiceMinerStateStore,
  onError: (message: string) => void = () => {},
  options: TemplateStageOptions = {},
): TemplateStage {
  const cfg = defaultMinerConfig(config);
  // The stream scores template ids; params are for batch features (evaluate/), so the live miner skips them.
  const miner = new TemplateMiner(cfg, { params: false });
  const clock = options.now ?? Date.now;
  const reloadAfterMs = options.reloadAfterIdleMs ?? cfg.snapshot.intervalS * 1000;
  let lastSnapshotMs = clock();
  let saving: Promise<void> | undefined;
  const known = new Map<string, Known>();
  const loading = new Map<string, Promise<void>>();
  const dirty = new Set<string>();
  /** Store writes run one after another, so an older snapshot never lands after a newer one. */
  let writing: Promise<void> = Promise.resolve();
  /** The write not started yet that batches join: services whose new templates it stores. */
  let nextWrite: { services: Set<string>; done: Promise<void> } | undefined;
  /**
   * Services with new templates not stored yet, and the write that stores them: a batch of such a
   * service waits for it too, since its records may carry those ids.
   */
  const unsaved = new Map<string, Promise<void>>();

  /**
   * Writes the services' snapshots now, `WRITE_CHUNK` services per transaction (when the store has
   * them) and per turn of the event loop: thousands of services written at once held the loop.
   */
  const write = async (services: Iterable<string>): Promise<void> => {
    const list = [...services];
    for (let i = 0; i < list.length; i += WRITE_CHUNK) {
      if (i > 0) await nextTurn();
      const entries = [...miner.snapshotServices(list.slice(i, i + WRITE_CHUNK))];
      if (entries.length === 0) continue;
      if (store!.saveServices) await store!.saveServices(entries);
      else for (const [service, bytes] of entries) await store!.saveService(service, bytes);
      for (const [service, bytes] of entries) {
        const k = known.get(service);
        if (k) k.stored = fingerprint(bytes);
      }
    }
  };

  /** Runs after every write queued before it; a failure does not stop the later ones. */
  const queueWrite = (run: () => Promise<void>): Promise<void> => {
    const done = writing.then(run);
    writing = done.catch(() => {});
    return done;
  };

  /** Resolves when the new templates of these services are stored (or their write failed and was reported). */
  const storeNew = (services: Set<string>): Promise<void> => {
    if (!nextWrite) {
      const w = { services: new Set<string>(), done: Promise.resolve() };
      w.done = queueWrite(() => {
        if (nextWrite === w) nextWrite = undefined;
        return write(w.services);
      }).catch((e: unknown) => {
        for (const s of w.services) dirty.add(s);
        onError(
          `new templates of ${w.services.size} service(s) not saved, ids may change on a restart before the next snapshot: ${(e as Error).message}`,
        );
      });
      nextWrite = w;
      void w.done.then(() => {
        for (const s of w.services) if (unsaved.get(s) === w.done) unsaved.delete(s);
      });
    }
    for (const s of services) {
      nextWrite.services.add(s);
      unsaved.set(s, nextWrite.done);
    }
    return nextWrite.done;
  };

  const load = async (service: string): Promise<void> => {
    const had = known.get(service);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await store!.loadService(service);
    } catch (e) {
      // Mined from what this replica holds (empty, the old single snapshot's, or its own); the next
      // idle period reads again.
      onError(`template snapshot of ${service} not read, mining it from the templates held: ${(e as Error).message}`);
      known.set(service, { lastMs: clock(), stored: had?.stored });
      return;
    }
    const stored = bytes ? fingerprint(bytes) : undefined;
    if (bytes && stored !== had?.stored) {
      try {
        miner.restoreService(service, bytes);
        dirty.delete(service);
      } catch (e) {
        onError(`template snapshot of ${service} not restored, keeping the templates held: ${(e as Error).message}`);
      }
    }
    known.set(service, { lastMs: clock(), stored });
  };

  const snapshot = (): Promise<void> => {
    if (!store) return Promise.resolve();
    lastSnapshotMs = clock();
    return queueWrite(async () => {
      if (dirty.size === 0) return;
      const services = [...dirty];
      dirty.clear();
      try {
        await write(services);
      } catch (e) {
        for (const s of services) dirty.add(s);
        onError(
          `template snapshot not saved for ${services.length} service(s) (${services.slice(0, 3).join(', ')}): ${(e as Error).message}`,
        );
      }
    });
  };

  /** Mines the batch; resolves once the templates it created are stored. */
  const mine = (batch: LogBatch): void | Promise<void> => {
    const now = clock();
    let created: Set<string> | undefined;
    let stillUnsaved: Promise<void>[] | undefined;
    if (store) for (const rl of batch.data.resourceLogs) dirty.add(serviceName(rl));
    let lastResource: ResourceLogs | undefined;
    let service = '';
    forEachRecord(batch.data, (record, resource, _scope, i) => {
      // the service name once per resource, not per record
      if (resource !== lastResource) {
        lastResource = resource;
        service = serviceName(resource);
        const pending = unsaved.size > 0 ? unsaved.get(service) : undefined;
        if (pending) (stillUnsaved ??= []).push(pending);
      }
      const message = messageOf(record.body, cfg.messageFields);
      const severityNumber = record.severityNumber;
      // Templates' first/last seen follow the records' own time, as the Grafana time picker does.
      const timeMs = recordTimeMs(record, batch.receivedAtMs);
      const r = miner.add(service, message, timeMs);
      if (r.isNew && store) (created ??= new Set()).add(service);
      batch.parsed.write(
        i,
        service,
        message,
        severityNumber,
        r.templateId,
        r.template,
        r.isNew,
        miner.lastTokens,
        timeMs,
      );
    });
    if (store && !saving && now - lastSnapshotMs >= cfg.snapshot.intervalS * 1000)
      saving = snapshot().finally(() => (saving = undefined));
    if (created) {
      const stored = storeNew(created);
      return stillUnsaved ? Promise.all([stored, ...stillUnsaved]).then(() => {}) : stored;
    }
    if (stillUnsaved) return Promise.all(stillUnsaved).then(() => {});
  };

  return {
    name: 'parse',
    miner,
    async open(): Promise<void> {
      if (!store?.loadLegacy) return;
      try {
        const bytes = await store.loadLegacy();
        if (bytes) miner.restore(bytes);
      } catch (e) {
        onError(`template snapshot not restored, starting empty: ${(e as Error).message}`);
      }
    },
    snapshot,
    process(batch: LogBatch): void | Promise<void> {
      if (!store) return mine(batch);
      const now = clock();
      let waits: Promise<void>[] | undefined;
      for (const rl of batch.data.resourceLogs) {
        const service = serviceName(rl);
        const pending = loading.get(service);
        if (pending) {
          (waits ??= []).push(pending);
          continue;
        }
        const k = known.get(service);
        if (k === undefined || now - k.lastMs >= reloadAfterMs) {
          const p = load(service).finally(() => loading.delete(service));
          loading.set(service, p);
          (waits ??= []).push(p);
        } else k.lastMs = now;
      }
      if (!waits) return mine(batch);
      return Promise.all(waits).then(() => mine(batch));
    },
    async close(): Promise<void> {
      await Promise.all(loading.values());
      await saving;
      await snapshot();
      await writing;
    },
  };
}

/**
 * Length and digest of the bytes: tells whether a stored snapshot is still the one read or written
 * here. A native digest: snapshots of services with long templates run to megabytes, and a hash
 * loop in JS over them held the event loop between requests.
 */
function fingerprint(bytes: Uint8Array): string {
  return `${bytes.length}:${createHash('sha1').update(bytes).digest('base64')}`;
}
