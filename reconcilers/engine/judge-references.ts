import type { DispatchRow } from '../ports/business-db.ts';
import type { OrderReferencesSnapshot } from '../snapshots/order-references.ts';
import type { DatabaseEngineContext, JudgeOutcome } from './judge-orders.ts';

/**
 * Judges dispatch order references that cannot be order ids: every dispatch holding each reference is looked up
 * (a page shows only the rows that changed), so the finding counts them all, and one with none left resolves.
 */
export async function judgeReferences(
  ctx: DatabaseEngineContext,
  now: Date,
  references: readonly string[],
): Promise<JudgeOutcome> {
  const fresh = { orders: true, dispatch: true };
  let snapshot: OrderReferencesSnapshot;
  try {
    const rows = await ctx.dispatch.findDispatchesByReferences(references);
    ctx.health.success('dispatch');
    snapshot = { references: groupMalformed(rows), lookedUp: references };
  } catch (error) {
    fresh.dispatch = false;
    ctx.health.failure('dispatch', error as Error);
    snapshot = { references: undefined, lookedUp: references };
  }
  const judgements = ctx.referenceKinds.flatMap((kind) => kind.detect(snapshot, now, {}));
  const { opened, resolved } = await ctx.findings.apply(judgements, now);
  return { opened, resolved, unknown: judgements.filter((j) => j.verdict === 'unknown').length, fresh };
}

function groupMalformed(rows: readonly DispatchRow[]) {
  const byReference = new Map<string, { reference: string; problem: string; dispatches: DispatchRow[] }>();
  for (const row of rows) {
    if (row.orderIdProblem === null) continue;
    const group = byReference.get(row.orderId);
    if (group) group.dispatches.push(row);
    else byReference.set(row.orderId, { reference: row.orderId, problem: row.orderIdProblem, dispatches: [row] });
  }
  return [...byReference.values()];
}
