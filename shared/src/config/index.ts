import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ReceiverConfig } from './receiver';
import { ExporterConfig } from './exporter';
import { TelemetryConfig } from './telemetry';
import { ParserConfig } from './parser';
import { StoreConfig } from './store';
import { ApiConfig } from './api-server';
import { DetectionConfig } from './detection';
import { TriageConfig } from './triage';

export {
  ReceiverConfig,
  ExporterConfig,
  TelemetryConfig,
  ParserConfig,
  StoreConfig,
  ApiConfig,
  DetectionConfig,
  TriageConfig,
};

/** The whole processor configuration: one schema, used by the processor and by the Grafana app's forms. */
export const AnomalogConfig = Type.Object(
  {
    receiver: ReceiverConfig,
    exporter: ExporterConfig,
    telemetry: TelemetryConfig,
    parser: ParserConfig,
    detection: DetectionConfig,
    store: StoreConfig,
    api: ApiConfig,
    triage: TriageConfig,
  },
  { additionalProperties: false, default: {} },
);
export type AnomalogConfig = Static<typeof AnomalogConfig>;

export interface ConfigError {
  /** JSON-pointer-like path of the offending key, e.g. "/receiver/grpc/endpoint". */
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: ConfigError[] };

/** Fill defaults into a copy of `input` and check it against `schema`; never throws. */
export function validateWithDefaults<S extends TSchema>(schema: S, input: unknown): Validated<Static<S>> {
  const value = Value.Default(schema, Value.Clone(input ?? {}));
  const errors = [...Value.Errors(schema, value)].map((e) => ({ path: e.path || '/', message: e.message }));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: value as Static<S> };
}

export function validateConfig(input: unknown): Validated<AnomalogConfig> {
  return validateWithDefaults(AnomalogConfig, input);
}

export * from './model';
export * from './session-key-rules';
