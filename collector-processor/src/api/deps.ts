import type { ModelControl } from '../lifecycle/control';
import type { Store } from '../store/store';
import type { LiveSuppressions } from '../chain/suppressions';
import type { TriageStore } from '../store/triage';
import type { Logger } from '../telemetry/logger';
import type { BenchmarkService } from './benchmarks/runner';

/** What the API serves from; it knows these interfaces only, never their implementations. */
export interface ApiDeps {
  control: ModelControl;
  store: Store;
  benchmarks: BenchmarkService;
  logger: Logger;
  /** Shown by /health and in the OpenAPI document. */
  version: string;
  /** Incidents, aggregates and suppressions; absent: those routes are not served. */
  triage?: { store: TriageStore; suppressions: LiveSuppressions };
}
