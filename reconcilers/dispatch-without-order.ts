import { liveDispatches, type OrderDispatchSnapshot, type OrderScopedReconciler } from './order-dispatch-snapshot.ts';
import type { Judgement } from './types.ts';

export const KIND = 'dispatch-without-order';

/**
 * A live dispatch older than the grace period whose order does not exist: a courier rides for an order that rolled
 * back (and the replenishment consumer did not make it up). The grace period must exceed the replenisher's delay.
 */
function detect(snapshot: OrderDispatchSnapshot, now: Date, graceMs: number): Judgement[] {
  const judgements: Judgement[] = [];
  for (const orderId of snapshot.orderIds) {
    if (!snapshot.orders || !snapshot.dispatches) {
      judgements.push({ kind: KIND, key: orderId, verdict: 'unknown', severity: 'critical' });
      continue;
    }
    const live = liveDispatches(snapshot, orderId);
    if (live.length === 0 || snapshot.orders.has(orderId)) {
      judgements.push({ kind: KIND, key: orderId, verdict: 'ok', severity: 'critical' });
      continue;
    }
    const oldest = live.reduce((a, b) => (a.createdAt <= b.createdAt ? a : b));
    if (now.getTime() - oldest.createdAt.getTime() < graceMs) continue;
    judgements.push({
      kind: KIND,
      key: orderId,
      verdict: 'mismatch',
      severity: 'critical',
      evidence: {
        orderId,
        dispatches: live.map((d) => ({
          id: d.id,
          messageId: d.messageId,
          status: d.status,
          createdAt: d.createdAt.toISOString(),
        })),
        messageId: oldest.messageId,
      },
    });
  }
  return judgements;
}

export const dispatchWithoutOrder: OrderScopedReconciler = { kind: KIND, scope: 'order', detect };
