import { type Advice, defineKind, type GraceSettings } from '../define-kind.ts';
import type { LiveDispatch } from '../ports/repair.ts';
import { defineRepair, done, holds, settle, superseded } from '../repair.ts';
import {
  type DispatchEvidence,
  liveDispatches,
  type OrderDispatchSnapshot,
  toDispatchEvidence,
} from '../snapshots/order-dispatch.ts';
import { type Judgement, judgementsOf } from '../vocabulary.ts';

const KIND = 'duplicate-dispatch';

export interface DuplicateDispatchEvidence {
  orderId: string;
  liveDispatches: number;
  /** The oldest live dispatch: the one a repair keeps. */
  keptDispatchId: string;
  extraDispatchIds: string[];
  dispatches: DispatchEvidence[];
}

const judge = judgementsOf<typeof KIND, DuplicateDispatchEvidence>(KIND, 'warning');

/**
 * More than one live dispatch for one order: a non-idempotent consumer processed a redelivery twice. Needs only
 * the dispatch side. The oldest dispatch is the one to keep; the others are the extras an operator cancels.
 */
function detect(snapshot: OrderDispatchSnapshot, now: Date, { graceMs }: GraceSettings) {
  const judgements: Judgement<typeof KIND, DuplicateDispatchEvidence>[] = [];
  for (const orderId of snapshot.orderIds) {
    if (!snapshot.dispatches) {
      judgements.push(judge.unknown(orderId));
      continue;
    }
    const live = [...liveDispatches(snapshot, orderId)].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    if (live.length <= 1) {
      judgements.push(judge.ok(orderId));
      continue;
    }
    const newest = live[live.length - 1]!;
    if (now.getTime() - newest.createdAt.getTime() < graceMs) continue;
    const [kept, ...extras] = live;
    judgements.push(
      judge.mismatch(orderId, {
        orderId,
        liveDispatches: live.length,
        keptDispatchId: kept!.id,
        extraDispatchIds: extras.map((d) => d.id),
        dispatches: live.map(toDispatchEvidence),
      }),
    );
  }
  return judgements;
}

/** `cancel-dispatch` of the extras: the oldest live dispatch stays, as `detect` named it. Conditional per row. */
const cancelExtras = defineRepair<DuplicateDispatchEvidence, { kept: LiveDispatch; extras: LiveDispatch[] }>({
  requires: ['dispatch-status'],
  describe: (e) =>
    `Cancel the extra dispatches ${JSON.stringify(e.extraDispatchIds)} of order ${e.orderId}, keeping ${e.keptDispatchId}`,
  customerEffect: (e) =>
    `The customer of order ${e.orderId} keeps one courier (dispatch ${e.keptDispatchId}); the extra couriers stand ` +
    'down, so nothing is delivered twice.',
  whenToChoose:
    'The order needs one courier, which is nearly always. Not when the order ships in several parcels by design ' +
    '(several dispatches on purpose).',
  // The key is the order id: one live action per order, whatever its kind (no make-up while a cancel runs).
  target: (_e, orderId) => `order:${orderId}`,
  async premise({ evidence: { orderId }, isRetry }, ports) {
    const [kept, ...extras] = [...(await ports.dispatch.liveDispatches(orderId))].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.id) - Number(b.id),
    );
    if (kept && extras.length > 0) return holds({ kept, extras });
    const detail = `order ${orderId} has ${kept ? 1 : 0} live dispatch(es)`;
    return settle(isRetry ? done(detail) : superseded(detail));
  },
  async effect({ evidence: { orderId } }, { kept, extras }, ports) {
    const cancelled = await ports.dispatch.cancelDispatches(
      orderId,
      extras.map((d) => d.id),
    );
    return cancelled > 0
      ? done(`cancelled ${cancelled} extra dispatch(es) of order ${orderId}; kept ${kept.id}`)
      : superseded(`the dispatches of order ${orderId} changed meanwhile`);
  },
});

export const duplicateDispatch = defineKind({
  kind: KIND,
  title: 'Duplicate dispatch',
  severity: 'warning',
  reads: 'order-dispatch',
  detect,
  explain: (e: DuplicateDispatchEvidence) =>
    `Order ${e.orderId} has ${e.liveDispatches} live dispatches; it needs one (the oldest, ${e.keptDispatchId}).`,
  cause: causeOf,
  recommend: recommendFor,
  example: {
    key: '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b',
    evidence: {
      orderId: '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b',
      liveDispatches: 2,
      keptDispatchId: '41',
      extraDispatchIds: ['42'],
      dispatches: [
        {
          id: '41',
          messageId: '7d1c0f7e-4a55-4b4e-9a51-0c7bb0c0f001',
          status: 'assigned',
          createdAt: '2026-11-23T12:00:01.000Z',
        },
        {
          id: '42',
          messageId: '7d1c0f7e-4a55-4b4e-9a51-0c7bb0c0f001',
          status: 'assigned',
          createdAt: '2026-11-23T12:00:09.000Z',
        },
      ],
    },
  },
  subjects: (e) => ({ orderId: e.orderId, messageId: null }),
  repairs: { 'cancel-dispatch': cancelExtras },
});

/** One message processed twice, or two messages for one order: the dispatches' message ids tell which. */
function causeOf(e: DuplicateDispatchEvidence): string {
  const ids = new Set(e.dispatches.map((d) => d.messageId));
  if (ids.has(null))
    return 'Some of the dispatches name no message, so at least one was not made by the dispatch service from a message.';
  if (ids.size === 1)
    return (
      'The dispatch service processed the same message more than once (a redelivery after a crash) without ' +
      'checking its inbox: its consumer is not idempotent.'
    );
  return (
    'Different messages asked for this order: a redeliver or republish (a new message id) reached the dispatch ' +
    'service though the first message had been, or was later, processed.'
  );
}

function recommendFor(e: DuplicateDispatchEvidence): Advice<'cancel-dispatch'> {
  return {
    action: 'cancel-dispatch',
    why:
      `One courier is enough. Cancelling the extras keeps the oldest dispatch (${e.keptDispatchId}), the one the ` +
      "customer's tracking most likely shows.",
  };
}
