import type { RepairPorts } from '../../reconcilers/ports/repair.ts';
import { type Finding, repairOf } from '../../reconcilers/registry.ts';
import { type RepairOutcome, runRepair as runPremiseThenEffect } from '../../reconcilers/repair.ts';
import { databaseRefusal, maskSecrets } from '../adapters/postgres.ts';
import type { ActionRecord } from '../store/action-types.ts';

/** Environment-driven crash points, so tests can kill Recon where a crash hurts most (reliability matrix R4). */
export type FaultPoint = 'after-intent' | 'after-confirm';

export function crashAt(point: FaultPoint | undefined, here: FaultPoint): void {
  // SIGKILL, not exit(): no finally block, no pool shutdown, exactly like the OOM killer or a power cut.
  if (point === here) process.kill(process.pid, 'SIGKILL');
}

/**
 * Runs the reconciler's repair for a claimed action. An exception is not a failure: the effect may or may not have
 * happened (a database that went away mid-update), so the action is `in-doubt` and the sweeper checks again. The one
 * exception that is an answer is the database refusing a statement (a NOT NULL column the configuration does not
 * fill, a missing grant) before any of the repair's writes or publishes took effect: nothing happened, and running
 * it again would be refused the same way, so the action fails with the database's own words.
 */
export async function runRepair(
  action: ActionRecord,
  finding: Finding,
  ports: RepairPorts,
  { isRetry, faultPoint }: { isRetry: boolean; faultPoint?: FaultPoint },
): Promise<RepairOutcome> {
  const repair = repairOf(finding.kind, action.action);
  if (!repair) return { status: 'failed', detail: `${action.action} does not apply to a ${finding.kind} finding` };
  let changedSomething = false;
  const noting =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A) => {
      const result = await write(...args);
      changedSomething = true;
      return result;
    };
  const publisher: RepairPorts['publisher'] = {
    async publish(message) {
      const result = await ports.publisher.publish(message);
      if (result.status !== 'returned' && result.status !== 'nacked') changedSomething = true;
      if (result.status === 'confirmed') crashAt(faultPoint, 'after-confirm');
      return result;
    },
  };
  const orders: RepairPorts['orders'] = {
    ...ports.orders,
    insertOrder: noting(ports.orders.insertOrder.bind(ports.orders)),
    markOutboxPublished: noting(ports.orders.markOutboxPublished.bind(ports.orders)),
  };
  const dispatch: RepairPorts['dispatch'] = {
    ...ports.dispatch,
    cancelDispatches: noting(ports.dispatch.cancelDispatches.bind(ports.dispatch)),
  };
  const deadLetters: RepairPorts['deadLetters'] = {
    ...ports.deadLetters,
    settle: noting(ports.deadLetters.settle.bind(ports.deadLetters)),
  };
  try {
    return await runPremiseThenEffect(
      repair,
      {
        action: action.action,
        key: finding.key,
        evidence: finding.evidence,
        messageId: action.messageId ?? action.id,
        reason: action.reason,
        isRetry,
      },
      { ...ports, publisher, orders, dispatch, deadLetters },
    );
  } catch (error) {
    const refusal = changedSomething ? null : databaseRefusal(error);
    if (refusal) return { status: 'failed', detail: refusal };
    return { status: 'in-doubt', detail: `interrupted: ${maskSecrets((error as Error).message)}` };
  }
}
