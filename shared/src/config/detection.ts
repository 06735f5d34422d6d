import { Type } from '@sinclair/typebox';
import { ModelConfig } from './model';

/** The live pipeline: per-service models that learn, then score (collector-processor/src/lifecycle). */
export const DetectionConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'false: templates only, no scoring.' }),
    serviceKey: Type.String({
      default: 'service.name',
      description: 'Resource attribute that names the service whose models score a record.',
    }),
    maxServices: Type.Integer({
      default: 1000,
      minimum: 1,
      description: 'Services with models at most; others pass unscored.',
    }),
    maxOpenSessions: Type.Integer({
      default: 100000,
      minimum: 1,
      description: 'Open sessions kept over all services; the least recently active is closed first.',
    }),
    defaultModel: ModelConfig,
  },
  { default: {}, additionalProperties: false },
);
