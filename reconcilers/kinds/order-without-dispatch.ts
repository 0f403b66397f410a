import { type Advice, defineKind, type GraceSettings } from '../define-kind.ts';
import type { OrderRecord } from '../ports/repair.ts';
import { defineRepair, done, failed, holds, settle, superseded, toPublishOutcome } from '../repair.ts';
import { liveDispatches, type OrderDispatchSnapshot } from '../snapshots/order-dispatch.ts';
import { type Judgement, judgementsOf } from '../vocabulary.ts';

const KIND = 'order-without-dispatch';
/** Names the message the redelivery replaces, for whoever reads the dispatch service's logs. */
const ORIGINAL_MESSAGE_ID_HEADER = 'x-recon-original-message-id';

export interface OrderWithoutDispatchEvidence {
  orderId: string;
  orderStatus: string | null;
  /** ISO time the order was created. */
  orderCreatedAt: string;
  /** Dispatches the order has that no longer count (cancelled). */
  cancelledDispatches: number;
}

const judge = judgementsOf<typeof KIND, OrderWithoutDispatchEvidence>(KIND, 'critical');

/**
 * An order committed longer ago than the grace period with no live dispatch: the customer waits for a courier
 * nobody assigned. Young orders are not judged (their message may still be in flight), and an order that needs no
 * dispatch (cancelled, picked up: the configured `needsDispatch`) is fine without one.
 */
function detect(snapshot: OrderDispatchSnapshot, now: Date, { graceMs }: GraceSettings) {
  const judgements: Judgement<typeof KIND, OrderWithoutDispatchEvidence>[] = [];
  for (const orderId of snapshot.orderIds) {
    if (!snapshot.orders || !snapshot.dispatches) {
      judgements.push(judge.unknown(orderId));
      continue;
    }
    const order = snapshot.orders.get(orderId);
    if (!order?.needsDispatch) {
      judgements.push(judge.ok(orderId));
      continue;
    }
    if (now.getTime() - order.createdAt.getTime() < graceMs) continue;
    if (liveDispatches(snapshot, orderId).length > 0) {
      judgements.push(judge.ok(orderId));
      continue;
    }
    judgements.push(
      judge.mismatch(orderId, {
        orderId,
        orderStatus: order.status,
        orderCreatedAt: order.createdAt.toISOString(),
        cancelledDispatches: snapshot.dispatches.get(orderId)?.length ?? 0,
      }),
    );
  }
  return judgements;
}

/**
 * `redeliver`: publish the order's `order.created` again. Not with the original message id: the dispatch row may
 * have been lost after the consumer's inbox recorded that id, so the consumer would skip it. The action's own id
 * (stable across its retries, also in the header a library's consumer reads it from) lets the inbox absorb a
 * retry's duplicate instead.
 */
const redeliver = defineRepair<OrderWithoutDispatchEvidence, OrderRecord & { messageBody: string }>({
  requires: ['message-body'],
  describe: (e) =>
    `Publish order.created for order ${e.orderId} again (a new message id) so the dispatch service assigns a courier`,
  customerEffect: (e) =>
    `The customer of order ${e.orderId} gets a courier, late; if a dispatch appeared meanwhile, nothing is sent.`,
  whenToChoose:
    'The order still needs a courier and the dispatch service is consuming (its queue has consumers, no growing ' +
    'dead letters or stuck unacked messages). Not while the dispatch service is down: the copy would wait too.',
  // The key is the order id: one live action per order, whatever its kind (no make-up while a cancel runs).
  target: (_e, orderId) => `order:${orderId}`,
  async premise({ evidence: { orderId }, messageId, isRetry }, ports) {
    if (isRetry && (await ports.dispatch.isProcessed(messageId)))
      return settle(done('the dispatch service processed the redelivered message'));
    const order = await ports.orders.getOrder(orderId);
    if (!order) return settle(superseded(`order ${orderId} no longer exists`));
    const live = await ports.dispatch.liveDispatches(orderId);
    if (live.length > 0) return settle(superseded(`order ${orderId} has a dispatch now (${live[0]!.id})`));
    if (order.messageBody === null) return settle(failed('no message body is configured (message.body)'));
    return holds({ ...order, messageBody: order.messageBody });
  },
  async effect({ messageId }, order, ports) {
    const original = await ports.orders.latestMessageIdFor(order.id);
    const { exchange, routingKey, headers, messageIdHeader, encode } = ports.messageRoute;
    const message = encode?.(order.messageBody, messageId) ?? {
      body: order.messageBody,
      contentType: 'application/json',
    };
    const result = await ports.publisher.publish({
      exchange,
      routingKey,
      body: Buffer.from(message.body),
      messageId,
      contentType: message.contentType,
      headers: {
        ...headers,
        ...(messageIdHeader ? { [messageIdHeader]: messageId } : {}),
        ...(original ? { [ORIGINAL_MESSAGE_ID_HEADER]: original } : {}),
      },
    });
    return toPublishOutcome(
      result,
      // An empty routing key (a MassTransit exchange binds none) would leave the sentence starting with a blank.
      `${routingKey || 'the message'} for order ${order.id} to exchange ${exchange || '(default)'}`,
    );
  },
});

export const orderWithoutDispatch = defineKind({
  kind: KIND,
  title: 'Order without a dispatch',
  severity: 'critical',
  reads: 'order-dispatch',
  detect,
  explain: (e: OrderWithoutDispatchEvidence) =>
    `Order ${e.orderId} was placed at ${e.orderCreatedAt} and has no live dispatch: no courier is assigned.` +
    (e.cancelledDispatches > 0 ? ` It had ${e.cancelledDispatches} dispatch(es), all cancelled.` : ''),
  cause: causeOf,
  recommend: recommendFor,
  example: {
    key: '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b',
    evidence: {
      orderId: '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b',
      orderStatus: 'created',
      orderCreatedAt: '2026-11-23T12:00:00.000Z',
      cancelledDispatches: 0,
    },
  },
  subjects: (e) => ({ orderId: e.orderId, messageId: null }),
  repairs: { redeliver },
});

// The evidence holds the order and its dispatch rows, not the outbox or the consumer's inbox (the order's timeline
// shows those): a cancelled dispatch is the one fact that tells "removed" from "never created".
function causeOf(e: OrderWithoutDispatchEvidence): string {
  if (e.cancelledDispatches > 0)
    return (
      `Its dispatch was created and later cancelled (${e.cancelledDispatches} cancelled), by a person, a ` +
      'cancel-dispatch action or the dispatch service, while the order still needs a courier.'
    );
  return (
    'The dispatch service never created a dispatch for it: the order.created message was not published (a stuck ' +
    'outbox finding for this order), was dead-lettered (a dead letter for it), or was consumed and its dispatch ' +
    'lost. The record of the order (on its finding page and timeline) shows which.'
  );
}

function recommendFor(e: OrderWithoutDispatchEvidence): Advice<'redeliver'> {
  if (e.cancelledDispatches > 0)
    return {
      action: null,
      why:
        'Its dispatch was cancelled once: open the order timeline to see who cancelled it. If that was deliberate ' +
        '(the order is being cancelled), do nothing; otherwise redeliver.',
    };
  return {
    action: 'redeliver',
    why:
      'The order never had a courier and still needs one. Redeliver is safe: Recon checks first that no dispatch ' +
      "appeared, and the dispatch service's inbox absorbs a duplicate of its own message.",
  };
}
