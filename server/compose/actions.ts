import type { RepairPorts } from '../../reconcilers/ports/repair.ts';
import { createActionService } from '../actions/action-service.ts';
import { startActionSweeper } from '../actions/action-sweeper.ts';
import { createBulkActions } from '../actions/bulk-actions.ts';
import { createRepairPorts } from '../actions/repair-ports.ts';
import { createActionPublisher } from '../adapters/action-publisher.ts';
import type { ReconConfig } from '../config.ts';
import { createActionStore } from '../store/action-store.ts';
import { createBulkStore } from '../store/bulk-store.ts';
import type { DeadLetterStore } from '../store/dead-letter-types.ts';
import type { ReconParts } from './parts.ts';

/** Repair actions: any replica executes the ones it is asked for; the leader's sweeper settles what a crash left. */
export function startActions(
  parts: ReconParts,
  {
    deadLetters,
    deadLetterQueues,
  }: { deadLetters: DeadLetterStore; deadLetterQueues: RepairPorts['deadLetterQueues'] },
) {
  const { config, flow, store, metrics, log, isLeader } = parts;
  const actionStore = createActionStore(parts.reconPool);
  const publisher = createActionPublisher({
    url: config.rabbitmqUrl,
    confirmTimeoutMs: config.actions.confirmTimeoutMs,
  });
  const repairPorts = createRepairPorts(config, flow.repairs, deadLetters, publisher, deadLetterQueues);
  const service = createActionService({
    actions: actionStore,
    findings: store,
    ports: repairPorts,
    counter: metrics.actions,
    isReadOnly: config.isReadOnly,
    leaseMs: config.actions.leaseMs,
    retryAfterMs: config.actions.retryAfterMs,
    holdMs: actionHoldMs(config),
    faultPoint: config.actions.faultPoint,
  });
  const bulks = createBulkStore(parts.reconPool);
  const bulk = createBulkActions({
    service,
    bulks,
    findings: store,
    log: log.child({ component: 'bulk' }),
  });
  const sweeper = startActionSweeper({
    actions: actionStore,
    findings: store,
    ports: repairPorts,
    counter: metrics.actions,
    log: log.child({ component: 'action-sweeper' }),
    // Read-only refuses every effect, the sweeper's re-drives included: unsettled actions wait for a writable Recon.
    isLeader: () => isLeader() && !config.isReadOnly,
    intervalMs: config.actions.sweepIntervalMs,
    leaseMs: config.actions.leaseMs,
    retryAfterMs: config.actions.retryAfterMs,
    maxAttempts: config.actions.maxAttempts,
    resumeBulks: () => bulk.resumeInterrupted(),
  });
  return {
    service,
    store: actionStore,
    bulk,
    bulks,
    async stop() {
      // The publisher last: a bulk's item in progress and a sweep's re-drive still publish through it.
      await bulk.stop();
      await sweeper.stop();
      await publisher.close();
    },
  };
}

export type ReconActions = ReturnType<typeof startActions>;

/** A done action blocks another on its target until the next cycles can see its effect: a poll, grace, a poll again. */
function actionHoldMs(config: Pick<ReconConfig, 'pollIntervalMs' | 'graceMs'>): number {
  return 2 * config.pollIntervalMs + config.graceMs;
}
