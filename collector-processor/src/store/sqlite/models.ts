import type { Database as Db } from 'better-sqlite3';
import type { ModelConfig, ModelVersion } from '@anomalog/shared';
import type { ModelStore, StoredModel } from '../models';
import { finiteMetrics, MODEL_COLUMNS, modelFromRow, type ModelRow } from '../rows';
import { bytesOf, type SqliteConnection } from './connection';

function statements(db: Db) {
  return {
    configGet: db.prepare('SELECT config FROM model_config WHERE service = ?'),
    configPut: db.prepare(
      'INSERT INTO model_config (service, config, updated_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (service) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at',
    ),
    maxVersion: db.prepare('SELECT max(version) AS v FROM models WHERE service = ?'),
    deactivateAll: db.prepare('UPDATE models SET active = 0 WHERE service = ? AND active = 1'),
    activate: db.prepare('UPDATE models SET active = 1 WHERE service = ? AND version = ?'),
    insert: db.prepare(`INSERT INTO models (${MODEL_COLUMNS}, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    // Keep the newest `modelVersions` versions, and the active one wherever it is.
    prune: db.prepare(
      'DELETE FROM models WHERE service = ? AND active = 0 AND version NOT IN ' +
        '(SELECT version FROM models WHERE service = ? ORDER BY version DESC LIMIT ?)',
    ),
    list: db.prepare(`SELECT ${MODEL_COLUMNS} FROM models WHERE service = ? ORDER BY version DESC`),
    info: db.prepare(`SELECT ${MODEL_COLUMNS} FROM models WHERE service = ? AND version = ?`),
    get: db.prepare(`SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE service = ? AND version = ?`),
    active: db.prepare(`SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE service = ? AND active = 1`),
    services: db.prepare('SELECT DISTINCT service FROM models'),
  };
}

export class SqliteModels implements ModelStore {
  private stmts!: ReturnType<typeof statements>;

  constructor(private readonly c: SqliteConnection) {}

  prepare(db: Db): void {
    this.stmts = statements(db);
  }

  async getModelConfig(service: string): Promise<ModelConfig | undefined> {
    const row = this.stmts.configGet.get(service) as { config: string } | undefined;
    return row ? (JSON.parse(row.config) as ModelConfig) : undefined;
  }

  async putModelConfig(service: string, config: ModelConfig): Promise<void> {
    this.c.write(`model config of ${service}`, () =>
      this.stmts.configPut.run(service, JSON.stringify(config), new Date().toISOString()),
    );
  }

  async saveModel(model: StoredModel): Promise<ModelVersion> {
    const { info } = model;
    const save = this.c.db.transaction((): ModelVersion => {
      const version = (this.stmts.maxVersion.get(info.service) as { v: number | null }).v ?? 0;
      const stored: ModelVersion = { ...info, metrics: finiteMetrics(info.metrics), version: version + 1 };
      if (stored.active) this.stmts.deactivateAll.run(info.service);
      this.stmts.insert.run(
        stored.service,
        stored.version,
        stored.createdAt,
        stored.trainedFrom,
        stored.trainedTo,
        stored.records,
        JSON.stringify(stored.detectors),
        JSON.stringify(stored.metrics),
        stored.active ? 1 : 0,
        model.bytes,
      );
      this.stmts.prune.run(info.service, info.service, this.c.settings.retention.modelVersions);
      return stored;
    });
    return this.c.write(`model of ${info.service}`, () => save.immediate());
  }

  async listModels(service: string): Promise<ModelVersion[]> {
    return (this.stmts.list.all(service) as ModelRow[]).map(modelFromRow);
  }

  async loadActiveModel(service: string): Promise<StoredModel | undefined> {
    return storedModel(this.stmts.active.get(service) as (ModelRow & { bytes: Buffer }) | undefined);
  }

  async loadModel(service: string, version: number): Promise<StoredModel | undefined> {
    return storedModel(this.stmts.get.get(service, version) as (ModelRow & { bytes: Buffer }) | undefined);
  }

  async activateModel(service: string, version: number): Promise<ModelVersion | undefined> {
    const activate = this.c.db.transaction((): ModelVersion | undefined => {
      const exists = this.stmts.info.get(service, version) as ModelRow | undefined;
      if (!exists) return undefined;
      this.stmts.deactivateAll.run(service);
      this.stmts.activate.run(service, version);
      return { ...modelFromRow(exists), active: true };
    });
    return this.c.write(`active version of ${service}`, () => activate.immediate());
  }

  async nextModelVersion(service: string): Promise<number> {
    return ((this.stmts.maxVersion.get(service) as { v: number | null }).v ?? 0) + 1;
  }

  /** Retention: every service keeps its newest `modelVersions` versions and its active one; returns rows deleted. */
  prune(modelVersions: number): number {
    let deleted = 0;
    for (const { service } of this.stmts.services.all() as { service: string }[])
      deleted += this.stmts.prune.run(service, service, modelVersions).changes;
    return deleted;
  }
}

function storedModel(row: (ModelRow & { bytes: Buffer }) | undefined): StoredModel | undefined {
  return row ? { info: modelFromRow(row), bytes: bytesOf(row.bytes) } : undefined;
}
