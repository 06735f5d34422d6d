import type { AnomalyPage, AnomalyQuery, BenchmarkRun, Feedback, ModelConfig, ModelVersion } from '@anomalog/shared';
import type { AnomalyContextAfter, AnomalyRecord, Store, StoredModel, StoreStatus } from '../../src/store/store';

/** A Store kept in maps, for API tests until (and besides) the SQLite one. Query semantics follow store.ts. */
export class MemoryStore implements Store {
  anomalies: AnomalyRecord[] = [];
  feedback: (Feedback & { time: string })[] = [];
  configs = new Map<string, ModelConfig>();
  models: StoredModel[] = [];
  miner = new Map<string, Uint8Array>();

  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async loadMinerState(key: string) {
    return this.miner.get(key);
  }
  async saveMinerState(key: string, bytes: Uint8Array) {
    this.miner.set(key, bytes);
  }
  async saveMinerStates(entries: ReadonlyArray<readonly [string, Uint8Array]>) {
    for (const [key, bytes] of entries) this.miner.set(key, bytes);
  }
  async getModelConfig(service: string) {
    return this.configs.get(service);
  }
  async putModelConfig(service: string, config: ModelConfig) {
    this.configs.set(service, config);
  }
  async saveModel(model: StoredModel): Promise<ModelVersion> {
    const info = { ...model.info, version: await this.nextModelVersion(model.info.service), active: false };
    this.models.push({ info, bytes: model.bytes });
    if (model.info.active) await this.activateModel(info.service, info.version);
    return (await this.loadModel(info.service, info.version))!.info;
  }
  async listModels(service: string): Promise<ModelVersion[]> {
    return this.models.filter((m) => m.info.service === service).map((m) => m.info);
  }
  async loadActiveModel(service: string) {
    return this.models.find((m) => m.info.service === service && m.info.active);
  }
  async loadModel(service: string, version: number) {
    return this.models.find((m) => m.info.service === service && m.info.version === version);
  }
  async activateModel(service: string, version: number) {
    const target = await this.loadModel(service, version);
    if (!target) return undefined;
    this.models = this.models.map((m) =>
      m.info.service === service ? { ...m, info: { ...m.info, active: m.info.version === version } } : m,
    );
    return (await this.loadModel(service, version))?.info;
  }
  async nextModelVersion(service: string) {
    return (await this.listModels(service)).reduce((max, v) => Math.max(max, v.version), 0) + 1;
  }
  async insertAnomalies(anomalies: readonly AnomalyRecord[]) {
    const fresh = anomalies.filter((a) => !this.anomalies.some((b) => b.id === a.id));
    this.anomalies.push(...fresh);
    return fresh.length;
  }
  async queryAnomalies(q: AnomalyQuery): Promise<AnomalyPage> {
    const matches = this.anomalies.filter(
      (a) =>
        (!q.from || a.time >= q.from) &&
        (!q.to || a.time < q.to) &&
        (!q.service || a.service === q.service) &&
        (!q.detector || a.detector === q.detector) &&
        (!q.templateId || a.templateId === q.templateId) &&
        (q.minScore === undefined || a.score >= q.minScore),
    );
    const key = q.sort === 'score' ? (a: AnomalyRecord) => a.score : (a: AnomalyRecord) => Date.parse(a.time);
    const sign = q.order === 'asc' ? 1 : -1;
    matches.sort((a, b) => sign * (key(a) - key(b)));
    const offset = q.offset ?? 0;
    const items = matches.slice(offset, offset + (q.limit ?? 100)).map((a) => {
      const { attributes: _a, context: _c, explanation: _e, ...anomaly } = a;
      return anomaly;
    });
    return { total: matches.length, items };
  }
  async getAnomaly(id: string) {
    return this.anomalies.find((a) => a.id === id);
  }
  async setAnomalyContextAfter(entries: readonly AnomalyContextAfter[]) {
    let changed = 0;
    for (const e of entries) {
      const a = this.anomalies.find((x) => x.id === e.id);
      if (a) {
        a.contextAfter = e.lines;
        changed++;
      }
    }
    return changed;
  }
  async suppressAnomalies(filter: { id?: string; service?: string; templateId?: string }) {
    let changed = 0;
    for (const a of this.anomalies) {
      const hit =
        (filter.id === undefined || a.id === filter.id) &&
        (filter.service === undefined || a.service === filter.service) &&
        (filter.templateId === undefined || a.templateId === filter.templateId);
      if (hit && !a.suppressed) {
        a.suppressed = true;
        changed++;
      }
    }
    return changed;
  }
  readonly benchmarkRuns = new Map<string, BenchmarkRun>();
  async saveBenchmarkRun(run: BenchmarkRun, keep: number) {
    this.benchmarkRuns.set(run.id, structuredClone(run));
    const old = [...this.benchmarkRuns.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(keep);
    for (const r of old) this.benchmarkRuns.delete(r.id);
  }
  async listBenchmarkRuns(limit: number) {
    return [...this.benchmarkRuns.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit);
  }
  async deleteBenchmarkRun(id: string) {
    return this.benchmarkRuns.delete(id);
  }
  async insertFeedback(feedback: Feedback & { time: string }) {
    this.feedback.push(feedback);
  }
  async listFeedback(service: string) {
    return this.feedback.filter((f) => f.service === service);
  }
  async enforceRetention() {
    return 0;
  }
  status(): StoreStatus {
    return { kind: 'sqlite', location: ':memory:', diskFull: false, droppedAnomalies: 0 };
  }
}
