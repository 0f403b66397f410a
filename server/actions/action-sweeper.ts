import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { RepairPorts } from '../../reconcilers/ports/repair.ts';
import { startPeriodic } from '../periodic.ts';
import type { ActionStore } from '../store/action-types.ts';
import type { ReconStore } from '../store/types.ts';
import { runRepair } from './run-repair.ts';

/** Actions taken per sweep; the rest wait for the next tick. */
const BATCH = 20;

export interface ActionSweeperDeps {
  actions: ActionStore;
  findings: Pick<ReconStore, 'getFinding'>;
  ports: RepairPorts;
  counter: Counter<'action' | 'outcome'>;
  log: Logger;
  isLeader(): boolean;
  intervalMs: number;
  leaseMs: number;
  retryAfterMs: number;
  /** Attempts (the first execution included) before an action is handed to a human as `needs-attention`. */
  maxAttempts: number;
  /** Resumes bulks whose replica stopped mid-run; how many it took. */
  resumeBulks?: () => Promise<number>;
}

/**
 * DESIGN: Actions, step 6. On the leader, settles `pending` actions whose replica died and `in-doubt` ones whose
 * confirm never came: each repair checks for its effect first and only then re-drives with the same message id.
 */
export function startActionSweeper(deps: ActionSweeperDeps) {
  const { actions, findings, log } = deps;

  async function sweepOnce(): Promise<number> {
    const due = await actions.takeExpired(deps.leaseMs, BATCH);
    for (const action of due) {
      const finding = await findings.getFinding(action.findingId);
      const outcome =
        action.attempts > deps.maxAttempts
          ? {
              status: 'needs-attention' as const,
              detail: `not settled after ${deps.maxAttempts} attempts: ${action.detail ?? ''}`,
            }
          : finding
            ? await runRepair(action, finding, deps.ports, { isRetry: true })
            : { status: 'needs-attention' as const, detail: `finding ${action.findingId} is gone` };
      const settled = await actions.settle(action.id, outcome, 'swept', deps.retryAfterMs);
      if (settled) deps.counter.inc({ action: settled.action, outcome: settled.status });
      log.info({ actionId: action.id, action: action.action, outcome: outcome.status }, 'sweeper settled an action');
    }
    return due.length;
  }

  const task = startPeriodic({
    name: 'action sweep',
    intervalMs: deps.intervalMs,
    isDue: deps.isLeader,
    waitFirst: true,
    run: async () => {
      await sweepOnce();
      await deps.resumeBulks?.();
    },
    log,
  });

  return { sweepOnce, stop: () => task.stop() };
}
