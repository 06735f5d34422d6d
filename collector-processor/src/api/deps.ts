import type { ModelControl } from '../lifecycle/control';
import type { AnomalyStore } from '../store/anomalies';
import type { LiveSuppressions } from '../chain/suppressions';
import type { TriageStore } from '../store/triage';
import type { Logger } from '../telemetry/logger';
import type { BenchmarkService } from './benchmarks/runner';

/** What the API serves from; it knows these interfaces only, never their implementations. */
export interface ApiDeps {
  control: ModelControl;
  /** Anomalies: the API reads and looks them up; writes go through the detect stage and ModelControl. */
  store: AnomalyStore;
  benchmarks: BenchmarkService;
  logger: Logger;
  /** Shown by /health and in the OpenAPI document. */
  version: string;
  /** Incidents, aggregates and suppressions; absent: those routes are not served. */
  triage?: { store: TriageStore; suppressions: LiveSuppressions };
}
