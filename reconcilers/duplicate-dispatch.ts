import { liveDispatches, type OrderDispatchSnapshot, type OrderScopedReconciler } from './order-dispatch-snapshot.ts';
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

export const duplicateDispatch: OrderScopedReconciler = { kind: KIND, scope: 'order', detect };
