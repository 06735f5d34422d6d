import { Type } from '@sinclair/typebox';

/**
 * Where models, miner state, model configurations, anomalies and feedback live. SQLite under
 * `dataDir` by default (nothing to run); PostgreSQL when several replicas share one store.
 */
export const StoreConfig = Type.Object(
  {
    kind: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')], {
      default: 'sqlite',
      description: 'Embedded SQLite file under dataDir, or a PostgreSQL server (postgresUrl).',
    }),
    dataDir: Type.String({ default: './data', description: 'Directory of the SQLite database (kind sqlite).' }),
    sqliteSynchronous: Type.Union([Type.Literal('normal'), Type.Literal('full')], {
      default: 'normal',
      description:
        'SQLite commit durability (WAL mode). normal: a killed process loses nothing committed, a power cut may lose the last commits; full: fsync on every commit, slower.',
    }),
    postgresUrl: Type.String({
      default: '',
      description:
        'postgres://user:pass@host:5432/db (kind postgres). ANOMALOG_STORE_POSTGRES_URL keeps it out of files.',
    }),
    retention: Type.Object(
      {
        anomalyDays: Type.Number({
          default: 14,
          exclusiveMinimum: 0,
          description: 'Anomalies older than this are deleted.',
        }),
        maxAnomalies: Type.Integer({ default: 1000000, minimum: 1000, description: 'Newest anomalies kept at most.' }),
        modelVersions: Type.Integer({ default: 10, minimum: 1, description: 'Model versions kept per service.' }),
        contextLines: Type.Integer({
          default: 10,
          minimum: 0,
          maximum: 200,
          description: 'Lines of the same session stored before each anomaly.',
        }),
        contextLinesAfter: Type.Integer({
          default: 5,
          minimum: 0,
          maximum: 200,
          description:
            'Lines of the same session stored after each anomaly: written to the stored anomaly once they arrive, or after contextAfterWaitSeconds with those that came.',
        }),
        contextAfterWaitSeconds: Type.Number({
          default: 30,
          exclusiveMinimum: 0,
          maximum: 3600,
          description: 'How long an anomaly waits for its lines after before it is updated with the lines that came.',
        }),
        contextLineMaxChars: Type.Integer({
          default: 2048,
          minimum: 16,
          description: 'Longest context line kept in memory and stored; longer lines are cut to this many characters.',
        }),
        contextMaxMiB: Type.Number({
          default: 64,
          exclusiveMinimum: 0,
          description:
            'Memory for the context lines of all services together; each service gets this divided by detection.maxServices, its oldest lines go first.',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { default: {}, additionalProperties: false },
);
