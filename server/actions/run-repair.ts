import type { RepairPorts } from '../../reconcilers/ports/repair.ts';
import { type Finding, repairOf } from '../../reconcilers/registry.ts';
import { type RepairOutcome, runRepair as runPremiseThenEffect } from '../../reconcilers/repair.ts';
import { maskSecrets } from '../adapters/postgres.ts';
import type { ActionRecord } from '../store/action-types.ts';

/** Environment-driven crash points, so tests can kill Recon where a crash hurts most (reliability matrix R4). */
export type FaultPoint = 'after-intent' | 'after-confirm';

export function crashAt(point: FaultPoint | undefined, here: FaultPoint): void {
  // SIGKILL, not exit(): no finally block, no pool shutdown, exactly like the OOM killer or a power cut.
  if (point === here) process.kill(process.pid, 'SIGKILL');
}

/**
 * Runs the reconciler's repair for a claimed action. An exception is not a failure: the effect may or may not have
 * happened (a database that went away mid-update), so the action is `in-doubt` and the sweeper checks again.
 */
export async function runRepair(
  action: ActionRecord,
  finding: Finding,
  ports: RepairPorts,
  { isRetry, faultPoint }: { isRetry: boolean; faultPoint?: FaultPoint },
): Promise<RepairOutcome> {
  const repair = repairOf(finding.kind, action.action);
  if (!repair) return { status: 'failed', detail: `${action.action} does not apply to a ${finding.kind} finding` };
  const publisher: RepairPorts['publisher'] = {
    async publish(message) {
      const result = await ports.publisher.publish(message);
      if (result.status === 'confirmed') crashAt(faultPoint, 'after-confirm');
      return result;
    },
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
      { ...ports, publisher },
    );
  } catch (error) {
    return { status: 'in-doubt', detail: `interrupted: ${maskSecrets((error as Error).message)}` };
  }
}
