import type { PoolClient } from 'pg';
import type { ModelConfig, ModelVersion } from '@anomalog/shared';
import type { ModelStore, StoredModel } from '../models';
import { LOCK_MODELS_CLASS } from '../postgres-schema';
import { finiteMetrics, MODEL_COLUMNS, modelFromRow, type ModelRow } from '../rows';
import { bytesOf, type PostgresConnection } from './connection';

export class PostgresModels implements ModelStore {
  constructor(private readonly c: PostgresConnection) {}

  async getModelConfig(service: string): Promise<ModelConfig | undefined> {
    const { rows } = await this.c.query<{ config: ModelConfig }>('SELECT config FROM model_config WHERE service = $1', [
      service,
    ]);
    return rows[0]?.config;
  }

  async putModelConfig(service: string, config: ModelConfig): Promise<void> {
    await this.c.write(`model config of ${service}`, () =>
      this.c.query(
        'INSERT INTO model_config (service, config, updated_at) VALUES ($1, $2, now()) ' +
          'ON CONFLICT (service) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at',
        [service, JSON.stringify(config)],
      ),
    );
  }

  async saveModel(model: StoredModel): Promise<ModelVersion> {
    const { info } = model;
    return this.c.write(`model of ${info.service}`, () =>
      this.c.transaction(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_MODELS_CLASS, info.service]);
        const { rows } = await c.query<{ v: number | null }>(
          'SELECT max(version) AS v FROM models WHERE service = $1',
          [info.service],
        );
        const stored: ModelVersion = { ...info, metrics: finiteMetrics(info.metrics), version: (rows[0].v ?? 0) + 1 };
        if (stored.active)
          await c.query('UPDATE models SET active = false WHERE service = $1 AND active', [info.service]);
        await c.query(`INSERT INTO models (${MODEL_COLUMNS}, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
          stored.service,
          stored.version,
          stored.createdAt,
          stored.trainedFrom,
          stored.trainedTo,
          stored.records,
          JSON.stringify(stored.detectors),
          JSON.stringify(stored.metrics),
          stored.active,
          Buffer.from(model.bytes.buffer, model.bytes.byteOffset, model.bytes.byteLength),
        ]);
        await pruneModels(c, info.service, this.c.settings.retention.modelVersions);
        return stored;
      }),
    );
  }

  async listModels(service: string): Promise<ModelVersion[]> {
    const { rows } = await this.c.query<ModelRow>(
      `SELECT ${MODEL_COLUMNS} FROM models WHERE service = $1 ORDER BY version DESC`,
      [service],
    );
    return rows.map(modelFromRow);
  }

  async loadActiveModel(service: string): Promise<StoredModel | undefined> {
    const { rows } = await this.c.query<ModelRow & { bytes: Buffer }>(
      `SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE service = $1 AND active`,
      [service],
    );
    return storedModel(rows[0]);
  }

  async loadModel(service: string, version: number): Promise<StoredModel | undefined> {
    const { rows } = await this.c.query<ModelRow & { bytes: Buffer }>(
      `SELECT ${MODEL_COLUMNS}, bytes FROM models WHERE service = $1 AND version = $2`,
      [service, version],
    );
    return storedModel(rows[0]);
  }

  async activateModel(service: string, version: number): Promise<ModelVersion | undefined> {
    return this.c.write(`active version of ${service}`, () =>
      this.c.transaction(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_MODELS_CLASS, service]);
        const { rows } = await c.query<ModelRow>(
          `SELECT ${MODEL_COLUMNS} FROM models WHERE service = $1 AND version = $2`,
          [service, version],
        );
        if (!rows[0]) return undefined;
        await c.query('UPDATE models SET active = false WHERE service = $1 AND active', [service]);
        await c.query('UPDATE models SET active = true WHERE service = $1 AND version = $2', [service, version]);
        return { ...modelFromRow(rows[0]), active: true };
      }),
    );
  }

  async nextModelVersion(service: string): Promise<number> {
    const { rows } = await this.c.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM models WHERE service = $1',
      [service],
    );
    return (rows[0].v ?? 0) + 1;
  }

  /** Retention on `client`: every service keeps its newest `modelVersions` versions and its active one. */
  async prune(client: PoolClient, modelVersions: number): Promise<number> {
    let deleted = 0;
    const services = await client.query<{ service: string }>('SELECT DISTINCT service FROM models');
    for (const { service } of services.rows) deleted += await pruneModels(client, service, modelVersions);
    return deleted;
  }
}

/** Keep the newest `keep` versions of a service, and the active one wherever it is. */
async function pruneModels(c: PoolClient, service: string, keep: number): Promise<number> {
  const res = await c.query(
    'DELETE FROM models WHERE service = $1 AND NOT active AND version NOT IN ' +
      '(SELECT version FROM models WHERE service = $1 ORDER BY version DESC LIMIT $2)',
    [service, keep],
  );
  return res.rowCount ?? 0;
}

function storedModel(row: (ModelRow & { bytes: Buffer }) | undefined): StoredModel | undefined {
  return row ? { info: modelFromRow(row), bytes: bytesOf(row.bytes) } : undefined;
}
