import type { Logger } from 'pino';
import type { CycleReport } from '../../reconcilers/engine/incremental-cycle.ts';
import { type PeriodicTask, startPeriodic } from '../periodic.ts';
import type { SourceHealthTracker } from '../source-health.ts';
import type { DeadLetterCount, DeadLetterStore } from '../store/dead-letter-types.ts';
import type { ReconStore } from '../store/types.ts';
import type { ReconMetrics } from './registry.ts';
import { type MetricsState, setOpenSummary } from './state.ts';

/**
 * The reasons RabbitMQ dead-letters with, and MassTransit's MT-Reason for a faulted message; any other (a forged
 * x-death or MT-Reason) is reported as `other`.
 */
const KNOWN_REASONS = ['rejected', 'expired', 'maxlen', 'delivery_limit', 'fault', 'unknown'] as const;
const MIN_INTERVAL_MS = 1_000;

/**
 * Every replica refreshes what /metrics and the API show from the store, so a scrape itself never does I/O. The
 * leader knows its sources' health first-hand; the others read what it persisted.
 */
export function startMetricsRefresher(deps: {
  state: MetricsState;
  store: Pick<ReconStore, 'openSummary' | 'listSourceHealth'>;
  deadLetters: Pick<DeadLetterStore, 'deadLetterCounts'>;
  deadLetterQueues: readonly string[];
  health: SourceHealthTracker;
  isLeader(): boolean;
  intervalMs: number;
  log: Pick<Logger, 'warn'>;
}): PeriodicTask {
  const { state, store } = deps;
  return startPeriodic({
    name: 'refreshing metrics from the store',
    intervalMs: Math.max(MIN_INTERVAL_MS, deps.intervalMs),
    async run() {
      setOpenSummary(state, await store.openSummary());
      state.sources = deps.isLeader() ? deps.health.snapshot() : await store.listSourceHealth();
      state.deadLetters = toDeadLetterMetrics(await deps.deadLetters.deadLetterCounts(), deps.deadLetterQueues);
    },
    log: deps.log,
  });
}

/** What a finished incremental cycle tells /metrics. */
export function recordCycle(metrics: ReconMetrics, state: MetricsState, report: CycleReport, seconds: number) {
  metrics.pollDuration.observe({ source: 'databases' }, seconds);
  if (report.fresh.orders) state.outboxOldestPendingAt = report.outboxOldestPendingAt;
}

/**
 * `recon_dead_letters{queue,reason}`: every watched queue with every known reason is present (0 when none), so
 * alert rules never see a series appear out of nowhere; unknown reasons are folded into `other` to keep labels
 * bounded whatever a producer writes into x-death or MT-Reason.
 */
export function toDeadLetterMetrics(counts: readonly DeadLetterCount[], queues: readonly string[]): DeadLetterCount[] {
  const totals = new Map<string, DeadLetterCount>();
  const add = (queue: string, reason: string, count: number) => {
    const key = JSON.stringify([queue, reason]);
    const entry = totals.get(key) ?? { queue, reason, count: 0 };
    entry.count += count;
    totals.set(key, entry);
  };
  for (const queue of queues) for (const reason of KNOWN_REASONS) add(queue, reason, 0);
  for (const c of counts) {
    const reason = (KNOWN_REASONS as readonly string[]).includes(c.reason) ? c.reason : 'other';
    add(c.queue, reason, c.count);
  }
  return [...totals.values()];
}
