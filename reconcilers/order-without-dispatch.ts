import { liveDispatches, type OrderDispatchSnapshot, type OrderScopedReconciler } from './order-dispatch-snapshot.ts';
import type { Judgement } from './types.ts';

export const KIND = 'order-without-dispatch';

/**
 * An order committed longer ago than the grace period with no live dispatch: the customer waits for a courier
 * nobody assigned. Young orders are not judged (their message may still be in flight).
 */
function detect(snapshot: OrderDispatchSnapshot, now: Date, graceMs: number): Judgement[] {
  const judgements: Judgement[] = [];
  for (const orderId of snapshot.orderIds) {
    if (!snapshot.orders || !snapshot.dispatches) {
      judgements.push({ kind: KIND, key: orderId, verdict: 'unknown', severity: 'critical' });
      continue;
    }
    const order = snapshot.orders.get(orderId);
    if (!order) {
      judgements.push({ kind: KIND, key: orderId, verdict: 'ok', severity: 'critical' });
      continue;
    }
    if (now.getTime() - order.createdAt.getTime() < graceMs) continue;
    const all = snapshot.dispatches.get(orderId) ?? [];
    if (liveDispatches(snapshot, orderId).length > 0) {
      judgements.push({ kind: KIND, key: orderId, verdict: 'ok', severity: 'critical' });
      continue;
    }
    judgements.push({
      kind: KIND,
      key: orderId,
      verdict: 'mismatch',
      severity: 'critical',
      evidence: {
        orderId,
        orderStatus: order.status,
        orderCreatedAt: order.createdAt.toISOString(),
        cancelledDispatches: all.length,
      },
    });
  }
  return judgements;
}

export const orderWithoutDispatch: OrderScopedReconciler = { kind: KIND, scope: 'order', detect };
