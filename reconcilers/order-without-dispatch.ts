import { liveDispatches, type OrderDispatchSnapshot, type OrderScopedReconciler } from './order-dispatch-snapshot.ts';
import { done, type OrderRecord, type Repair, superseded, toPublishOutcome } from './repair-types.ts';
import type { Judgement } from './types.ts';

/** Names the message the redelivery replaces, for whoever reads the dispatch service's logs. */
const ORIGINAL_MESSAGE_ID_HEADER = 'x-recon-original-message-id';

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

/**
 * `redeliver`: publish the order's `order.created` again. Not with the original message id: the dispatch row may
 * have been lost after the consumer's inbox recorded that id, so the consumer would skip it. The action's own id
 * (stable across its retries) lets the inbox absorb a retry's duplicate instead.
 */
const redeliver: Repair = async ({ key: orderId, messageId, isRetry }, ports) => {
  if (isRetry && (await ports.dispatch.isProcessed(messageId)))
    return done('the dispatch service processed the redelivered message');
  const order = await ports.orders.getOrder(orderId);
  if (!order) return superseded(`order ${orderId} no longer exists`);
  const live = await ports.dispatch.liveDispatches(orderId);
  if (live.length > 0) return superseded(`order ${orderId} has a dispatch now (${live[0]!.id})`);
  const original = await ports.orders.latestMessageIdFor(orderId);
  const { exchange, routingKey } = ports.orderCreated;
  const result = await ports.publisher.publish({
    exchange,
    routingKey,
    body: Buffer.from(JSON.stringify(toOrderCreatedBody(order))),
    messageId,
    contentType: 'application/json',
    headers: original ? { [ORIGINAL_MESSAGE_ID_HEADER]: original } : {},
  });
  return toPublishOutcome(result, `order.created for order ${orderId} to exchange ${exchange}`);
};

/** The wire contract of `order.created` (DESIGN: The reference system). */
export const toOrderCreatedBody = (order: OrderRecord) => ({
  orderId: order.id,
  customerId: order.customerId,
  items: order.items,
  totalCents: order.totalCents,
  createdAt: order.createdAt.toISOString(),
});

export const orderWithoutDispatch: OrderScopedReconciler = { kind: KIND, scope: 'order', detect };
export const orderWithoutDispatchRepairs = { redeliver } as const;
