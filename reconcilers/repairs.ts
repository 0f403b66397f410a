import { deadLetterRepairs } from './dead-letter.ts';
import { dispatchWithoutOrderRepairs } from './dispatch-without-order.ts';
import { duplicateDispatchRepairs } from './duplicate-dispatch.ts';
import { orderWithoutDispatchRepairs } from './order-without-dispatch.ts';
import type { ActionName, Repair } from './repair-types.ts';
import { stuckOutboxRepairs } from './stuck-outbox.ts';
import type { FindingKind } from './types.ts';

/**
 * What an operator can do about each kind of finding (DESIGN.md, Findings), each a `repair` of its reconciler.
 * The two broker-side kinds only watch: Recon cannot confirm a publish or ack a delivery on another process's
 * channel.
 */
export const REPAIRS: Record<FindingKind, Partial<Record<ActionName, Repair>>> = {
  'order-without-dispatch': orderWithoutDispatchRepairs,
  'dispatch-without-order': dispatchWithoutOrderRepairs,
  'stuck-outbox': stuckOutboxRepairs,
  'duplicate-dispatch': duplicateDispatchRepairs,
  'unconfirmed-publishes': {},
  'unacked-stuck': {},
  'dead-letter': deadLetterRepairs,
};

/** The repair of `action` on a finding of `kind`, or undefined when that action does not apply to it. */
export const repairFor = (kind: FindingKind, action: string): Repair | undefined =>
  Object.hasOwn(REPAIRS[kind] ?? {}, action) ? REPAIRS[kind][action as ActionName] : undefined;

/**
 * What the action changes, for "one live action per target": the order for the order-scoped kinds (so making up
 * an order and cancelling its dispatch cannot run at once), the outbox message or the dead letter otherwise.
 */
export function targetOf(kind: FindingKind, key: string, evidence: Record<string, unknown>): string {
  if (kind === 'stuck-outbox') return `outbox:${key}`;
  if (kind === 'dead-letter') return `dead-letter:${String(evidence.deadLetterId ?? key)}`;
  return `order:${key}`;
}

/** What an action will do, in the operator's words, for confirmations and dry runs. Pure: from the finding alone. */
export function describeRepair(
  kind: FindingKind,
  action: string,
  key: string,
  evidence: Record<string, unknown>,
): string {
  const letter = `dead letter ${String(evidence.deadLetterId ?? key)}`;
  const origin = `exchange ${String(evidence.originExchange ?? '?') || '(default)'}, routing key ${
    Array.isArray(evidence.originRoutingKeys) ? String(evidence.originRoutingKeys[0] ?? '') : '?'
  }`;
  switch (`${kind}/${action}`) {
    case 'order-without-dispatch/redeliver':
      return `Publish order.created for order ${key} again (a new message id) so the dispatch service assigns a courier`;
    case 'stuck-outbox/republish':
      return `Republish outbox message ${key} of order ${String(evidence.orderId ?? '?')} and mark it confirmed on the broker's confirm`;
    case 'dispatch-without-order/make-up-order':
      return `Create order ${key} from the order snapshot its dispatch received`;
    case 'dispatch-without-order/cancel-dispatch':
      return `Cancel every live dispatch of order ${key}, which does not exist`;
    case 'duplicate-dispatch/cancel-dispatch':
      return `Cancel the extra dispatches ${JSON.stringify(evidence.extraDispatchIds ?? [])} of order ${key}, keeping ${String(evidence.keptDispatchId ?? 'the oldest')}`;
    case 'dead-letter/redrive':
      return `Redrive ${letter} to ${origin}, unless order ${String(evidence.orderId ?? '?')} already has its dispatch`;
    case 'dead-letter/discard':
      return `Mark ${letter} discarded with your reason; it stays searchable`;
    default:
      return `${action} does not apply to a ${kind} finding`;
  }
}
