import { Type } from '@sinclair/typebox';

/** How anomalies become incidents (collector-processor/src/store/triage.ts, grouped after each stored batch). */
export const TriageConfig = Type.Object(
  {
    incidentGapSeconds: Type.Integer({
      default: 600,
      minimum: 1,
      description:
        'An anomaly joins the open incident of its service and template (or session) when it comes at most this long after its last anomaly; later, it starts a new incident.',
    }),
  },
  { default: {}, additionalProperties: false },
);
