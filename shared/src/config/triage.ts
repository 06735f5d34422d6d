import { Type } from '@sinclair/typebox';

/** How anomalies become incidents and what the API shows around them (collector-processor/src/chain/incidents.ts). */
export const TriageConfig = Type.Object(
  {
    incidentGapSeconds: Type.Integer({
      default: 600,
      minimum: 1,
      description:
        'An anomaly joins the open incident of its service and template (or session) when it comes at most this long after its last anomaly; later, it starts a new incident.',
    }),
    linesAfter: Type.Integer({
      default: 5,
      minimum: 0,
      maximum: 50,
      description:
        'Lines of the same session (or service) kept after an anomaly, captured as they arrive, shown beside the lines before it (store.retention.contextLines).',
    }),
  },
  { default: {}, additionalProperties: false },
);
