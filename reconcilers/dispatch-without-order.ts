import { liveDispatches, type OrderDispatchSnapshot, type OrderScopedReconciler } from './order-dispatch-snapshot.ts';
import { done, failed, type OrderRecord, type Repair, superseded } from './repair-types.ts';
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

/** `make-up-order`: the replenisher's job done by hand, from the order the dispatch service received. */
const makeUpOrder: Repair = async ({ key: orderId, isRetry }, ports) => {
  const existing = await ports.orders.getOrder(orderId);
  if (existing) {
    // On a retry, an order with Recon's status is this action's own insert committed before a crash.
    return isRetry && existing.status === ports.madeUpStatus
      ? done(`order ${orderId} was made up`)
      : superseded(`order ${orderId} exists now`);
  }
  const live = await ports.dispatch.liveDispatches(orderId);
  if (live.length === 0) return superseded(`order ${orderId} has no live dispatch left to make it up from`);
  const order = toOrderFromSnapshot(live[0]!.orderSnapshot, orderId, ports.madeUpStatus);
  if (!order) return failed(`the order snapshot of dispatch ${live[0]!.id} does not describe an order`);
  return (await ports.orders.insertOrder(order))
    ? done(`order ${orderId} made up from dispatch ${live[0]!.id}`)
    : superseded(`order ${orderId} was created meanwhile`);
};

/** `cancel-dispatch`: the order really is gone, so its couriers stand down. Conditional: never cancels twice. */
const cancelDispatch: Repair = async ({ key: orderId, isRetry }, ports) => {
  if (await ports.orders.getOrder(orderId)) return superseded(`order ${orderId} exists now`);
  const live = await ports.dispatch.liveDispatches(orderId);
  if (live.length === 0)
    return isRetry
      ? done(`order ${orderId} has no live dispatch`)
      : superseded(`order ${orderId} has no live dispatch`);
  const cancelled = await ports.dispatch.cancelDispatches(
    orderId,
    live.map((d) => d.id),
  );
  return cancelled > 0
    ? done(`cancelled ${cancelled} dispatch(es) of order ${orderId}`)
    : superseded(`the dispatches of order ${orderId} changed meanwhile`);
};

/** The snapshot is a message body someone else wrote: every field is checked before it becomes an order. */
function toOrderFromSnapshot(snapshot: unknown, orderId: string, status: string): OrderRecord | null {
  if (typeof snapshot !== 'object' || snapshot === null) return null;
  const s = snapshot as Record<string, unknown>;
  const createdAt = typeof s.createdAt === 'string' ? new Date(s.createdAt) : new Date(Number.NaN);
  if (s.orderId !== orderId || typeof s.customerId !== 'string' || !Number.isInteger(s.totalCents)) return null;
  if (s.items === undefined || Number.isNaN(createdAt.getTime())) return null;
  return {
    id: orderId,
    customerId: s.customerId,
    items: s.items,
    totalCents: s.totalCents as number,
    status,
    createdAt,
  };
}

export const dispatchWithoutOrder: OrderScopedReconciler = { kind: KIND, scope: 'order', detect };
export const dispatchWithoutOrderRepairs = { 'make-up-order': makeUpOrder, 'cancel-dispatch': cancelDispatch } as const;
