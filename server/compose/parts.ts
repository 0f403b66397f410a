import type pg from 'pg';
import type { Logger } from 'pino';
import type { ReconConfig } from '../config.ts';
import type { FlowAdapters } from '../flow-adapters.ts';
import type { LatencyHistory } from '../metrics/latency-history.ts';
import type { ReconMetrics } from '../metrics/registry.ts';
import type { MetricsState } from '../metrics/state.ts';
import type { SourceHealthTracker } from '../source-health.ts';
import type { ReconStore } from '../store/types.ts';

/** What startRecon builds before anything starts; every composition function is handed the same parts. */
export interface ReconParts {
  config: ReconConfig;
  log: Logger;
  /** Recon's own database, migrated. */
  reconPool: pg.Pool;
  flow: FlowAdapters;
  store: ReconStore;
  health: SourceHealthTracker;
  metrics: ReconMetrics;
  metricsState: MetricsState;
  latency: LatencyHistory;
  /** Whether this replica holds the leader lock now: the reconcilers and the sweeper only run while it does. */
  isLeader(): boolean;
}
