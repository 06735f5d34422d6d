import type { ServiceState } from './service-state';

/**
 * What the detect stage asks of the services' lifecycle (LifecycleManager implements it): the
 * service's state to score with, and reports of what it saw; it changes no lifecycle state itself.
 */
export interface ScoringLifecycle {
  /** The service's state, created on its first record; undefined past the services' limit. */
  state(service: string): ServiceState | undefined;
  /** A record of `s` went through the detect stage. */
  observe(
    s: ServiceState,
    templateId: string,
    severityNumber: number,
    sessionId: string | undefined,
    timeMs: number,
    tokens: number,
    anomalous: boolean,
  ): void;
  /** `count` anomalies of `s` were found in a batch (records and closed sessions). */
  anomaliesFound(s: ServiceState, count: number): void;
  /** After a batch's records of `s` were observed. */
  observed(s: ServiceState): void;
  /** Resolves when no restore or training is running. */
  idle(): Promise<void>;
}
