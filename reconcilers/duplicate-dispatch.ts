import { liveDispatches, type OrderDispatchSnapshot, type OrderScopedReconciler } from './order-dispatch-snapshot.ts';
import { done, type Repair, superseded } from './repair-types.ts';
import type { Judgement } from './types.ts';

export const KIND = 'duplicate-dispatch';

/**
 * More than one live dispatch for one order: a non-idempotent consumer processed a redelivery twice. Needs only
 * the dispatch side. The oldest dispatch is the one to keep; the others are the extras an operator cancels.
 */
function detect(snapshot: OrderDispatchSnapshot, now: Date, graceMs: number): Judgement[] {
  const judgements: Judgement[] = [];
  for (const orderId of snapshot.orderIds) {
    if (!snapshot.dispatches) {
      judgements.push({ kind: KIND, key: orderId, verdict: 'unknown', severity: 'warning' });
      continue;
    }
    const live = [...liveDispatches(snapshot, orderId)].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    if (live.length <= 1) {
      judgements.push({ kind: KIND, key: orderId, verdict: 'ok', severity: 'warning' });
      continue;
    }
    const newest = live[live.length - 1]!;
    if (now.getTime() - newest.createdAt.getTime() < graceMs) continue;
    const [kept, ...extras] = live;
    judgements.push({
      kind: KIND,
      key: orderId,
      verdict: 'mismatch',
      severity: 'warning',
      evidence: {
        orderId,
        liveDispatches: live.length,
        keptDispatchId: kept!.id,
        extraDispatchIds: extras.map((d) => d.id),
        dispatches: live.map((d) => ({
          id: d.id,
          messageId: d.messageId,
          status: d.status,
          createdAt: d.createdAt.toISOString(),
        })),
      },
    });
  }
  return judgements;
}

/** `cancel-dispatch` of the extras: the oldest live dispatch stays, as `detect` named it. Conditional per row. */
const cancelExtras: Repair = async ({ key: orderId, isRetry }, ports) => {
  const live = [...(await ports.dispatch.liveDispatches(orderId))].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.id) - Number(b.id),
  );
  if (live.length <= 1) {
    const detail = `order ${orderId} has ${live.length} live dispatch(es)`;
    return isRetry ? done(detail) : superseded(detail);
  }
  const [kept, ...extras] = live;
  const cancelled = await ports.dispatch.cancelDispatches(
    orderId,
    extras.map((d) => d.id),
  );
  return cancelled > 0
    ? done(`cancelled ${cancelled} extra dispatch(es) of order ${orderId}; kept ${kept!.id}`)
    : superseded(`the dispatches of order ${orderId} changed meanwhile`);
};

export const duplicateDispatch: OrderScopedReconciler = { kind: KIND, scope: 'order', detect };
export const duplicateDispatchRepairs = { 'cancel-dispatch': cancelExtras } as const;
