import { type Advice, defineKind, type GraceSettings } from '../define-kind.ts';
import type { LiveDispatch, MadeUpOrder } from '../ports/repair.ts';
import { defineRepair, done, failed, holds, settle, superseded } from '../repair.ts';
import {
  type DispatchEvidence,
  liveDispatches,
  type OrderDispatchSnapshot,
  toDispatchEvidence,
} from '../snapshots/order-dispatch.ts';
import { type Judgement, judgementsOf } from '../vocabulary.ts';

const KIND = 'dispatch-without-order';

export interface DispatchWithoutOrderEvidence {
  orderId: string;
  /** The live dispatches of the missing order. */
  dispatches: DispatchEvidence[];
  /** The message the oldest of them was made from. */
  messageId: string | null;
}

const judge = judgementsOf<typeof KIND, DispatchWithoutOrderEvidence>(KIND, 'critical');

/**
 * A live dispatch older than the grace period whose order does not exist: a courier rides for an order that rolled
 * back (and the replenishment consumer did not make it up). The grace period must exceed the replenisher's delay.
 */
function detect(snapshot: OrderDispatchSnapshot, now: Date, { graceMs }: GraceSettings) {
  const judgements: Judgement<typeof KIND, DispatchWithoutOrderEvidence>[] = [];
  for (const orderId of snapshot.orderIds) {
    if (!snapshot.orders || !snapshot.dispatches) {
      judgements.push(judge.unknown(orderId));
      continue;
    }
    const live = liveDispatches(snapshot, orderId);
    if (live.length === 0 || snapshot.orders.has(orderId)) {
      judgements.push(judge.ok(orderId));
      continue;
    }
    const oldest = live.reduce((a, b) => (a.createdAt <= b.createdAt ? a : b));
    if (now.getTime() - oldest.createdAt.getTime() < graceMs) continue;
    judgements.push(
      judge.mismatch(orderId, { orderId, dispatches: live.map(toDispatchEvidence), messageId: oldest.messageId }),
    );
  }
  return judgements;
}

/** `make-up-order`: the replenisher's job done by hand, from the order the dispatch service received. */
const makeUpOrder = defineRepair<DispatchWithoutOrderEvidence, { order: MadeUpOrder; from: LiveDispatch }>({
  requires: ['order-snapshot'],
  describe: (e) => `Create order ${e.orderId} from the order snapshot its dispatch received`,
  customerEffect: (e) =>
    `The customer of order ${e.orderId} gets the delivery already under way, and the order exists again (marked ` +
    'as made up by Recon), so it can be billed, tracked and refunded.',
  whenToChoose:
    "The customer did place the order (the dispatch came from the order's own message) and should get it: the " +
    "usual case, the replenisher's own job. Not when the order was removed on purpose (fraud, a cancellation).",
  // The key is the order id: one live action per order, whatever its kind (no make-up while a cancel runs).
  target: (_e, orderId) => `order:${orderId}`,
  async premise({ evidence: { orderId }, isRetry }, ports) {
    const existing = await ports.orders.getOrder(orderId);
    if (existing) {
      // On a retry, an order with Recon's status is this action's own insert committed before a crash.
      return settle(
        isRetry && existing.status === ports.madeUpStatus
          ? done(`order ${orderId} was made up`)
          : superseded(`order ${orderId} exists now`),
      );
    }
    const [from] = await ports.dispatch.liveDispatches(orderId);
    if (!from) return settle(superseded(`order ${orderId} has no live dispatch left to make it up from`));
    const made = ports.orders.orderFromSnapshot(orderId, from.orderSnapshot);
    if ('problem' in made)
      return settle(failed(`the order snapshot of dispatch ${from.id} does not describe the order: ${made.problem}`));
    return holds({ order: made.order, from });
  },
  async effect(_request, { order, from }, ports) {
    return (await ports.orders.insertOrder(order))
      ? done(`order ${order.id} made up from dispatch ${from.id}`)
      : superseded(`order ${order.id} was created meanwhile`);
  },
});

/** `cancel-dispatch`: the order really is gone, so its couriers stand down. Conditional: never cancels twice. */
const cancelDispatch = defineRepair<DispatchWithoutOrderEvidence, readonly LiveDispatch[]>({
  requires: ['dispatch-status'],
  describe: (e) => `Cancel every live dispatch of order ${e.orderId}, which does not exist`,
  customerEffect: (e) =>
    `The courier(s) stand down and the customer of order ${e.orderId} gets nothing; nobody tells them, and goods ` +
    'already picked up must be brought back.',
  whenToChoose:
    'The order is void on purpose (removed as fraud, cancelled, a test) and nothing should be delivered. Not when ' +
    'the customer placed it in good faith, and not once a courier is on the way.',
  target: (_e, orderId) => `order:${orderId}`,
  async premise({ evidence: { orderId }, isRetry }, ports) {
    if (await ports.orders.getOrder(orderId)) return settle(superseded(`order ${orderId} exists now`));
    const live = await ports.dispatch.liveDispatches(orderId);
    if (live.length > 0) return holds(live);
    const detail = `order ${orderId} has no live dispatch`;
    return settle(isRetry ? done(detail) : superseded(detail));
  },
  async effect({ evidence: { orderId } }, live, ports) {
    const cancelled = await ports.dispatch.cancelDispatches(
      orderId,
      live.map((d) => d.id),
    );
    return cancelled > 0
      ? done(`cancelled ${cancelled} dispatch(es) of order ${orderId}`)
      : superseded(`the dispatches of order ${orderId} changed meanwhile`);
  },
});

export const dispatchWithoutOrder = defineKind({
  kind: KIND,
  title: 'Dispatch without an order',
  severity: 'critical',
  reads: 'order-dispatch',
  detect,
  explain: (e: DispatchWithoutOrderEvidence) =>
    `${e.dispatches.length} live dispatch(es) ride for order ${e.orderId}, which does not exist in the orders database.`,
  cause: causeOf,
  recommend: recommendFor,
  example: {
    key: '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b',
    evidence: {
      orderId: '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b',
      dispatches: [
        {
          id: '41',
          messageId: '7d1c0f7e-4a55-4b4e-9a51-0c7bb0c0f001',
          status: 'assigned',
          createdAt: '2026-11-23T12:00:01.000Z',
        },
      ],
      messageId: '7d1c0f7e-4a55-4b4e-9a51-0c7bb0c0f001',
    },
  },
  subjects: (e) => ({ orderId: e.orderId, messageId: e.messageId }),
  repairs: { 'make-up-order': makeUpOrder, 'cancel-dispatch': cancelDispatch },
});

/** Dispatch statuses that say the courier has left with the goods (the dispatch service's own words vary). */
const IS_UNDER_WAY = /pick|transit|route|deliver|shipped/i;
const isUnderWay = (e: DispatchWithoutOrderEvidence) => e.dispatches.some((d) => IS_UNDER_WAY.test(d.status ?? ''));

function causeOf(e: DispatchWithoutOrderEvidence): string {
  if (e.messageId === null)
    return (
      'The dispatch names no message, so it was not made from an order.created message: it was written by hand or ' +
      'by another tool, and nothing says the order ever existed.'
    );
  return (
    "The order's message was published and the dispatch service acted on it, but the order is not in the orders " +
    'database: its transaction rolled back after the message went out (a publish outside the outbox), or the order ' +
    'was deleted; and the replenisher, which makes such orders up, has not (it is down or behind).'
  );
}

function recommendFor(e: DispatchWithoutOrderEvidence): Advice<'make-up-order' | 'cancel-dispatch'> {
  if (e.messageId === null)
    return {
      action: null,
      why:
        'Ask who created the dispatch before acting: a hand-made dispatch may carry no order snapshot to make the ' +
        'order up from, and cancelling stops a delivery someone arranged.',
    };
  if (isUnderWay(e))
    return {
      action: 'make-up-order',
      why:
        'A courier is already on the way with the goods: cancelling strands them and the customer. Make the order ' +
        'up so the delivery can be billed and tracked.',
    };
  return {
    action: 'make-up-order',
    why:
      "The dispatch came from the order's own message, so the customer placed it; the system's replenisher would " +
      'make it up, and make-up-order does its job (it refuses if the snapshot does not describe an order). Cancel ' +
      'only if you know the order was removed on purpose.',
  };
}
