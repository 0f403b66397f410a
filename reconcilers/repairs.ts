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
